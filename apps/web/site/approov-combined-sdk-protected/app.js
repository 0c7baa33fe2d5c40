// Several integrated services at once (the seed's "Using Multiple Integrated Services"):
// the first token fetch of a session carries hCaptcha, reCAPTCHA and Fingerprint results,
// and a valid Approov token needs all three checks to pass.
import "@hcaptcha/vanilla-hcaptcha";
import {
  APPROOV_HOST,
  APPROOV_SITE_KEY,
  loadApproov,
  startShapesApp,
} from "../assets/js/sdk-shapes-app.js";

const HCAPTCHA_SITE_KEY = "___HCAPTCHA_SITE_KEY___";
const RECAPTCHA_SITE_KEY = "___RECAPTCHA_SITE_KEY___";
const FINGERPRINT_PUBLIC_API_KEY = "___FINGERPRINT_PUBLIC_API_KEY___";
const FINGERPRINT_AGENT = "https://fpjscdn.net/v3/";

const fpPromise = import(/* @vite-ignore */ FINGERPRINT_AGENT + FINGERPRINT_PUBLIC_API_KEY).then(
  (FingerprintJS) => FingerprintJS.load(),
);

function getRecaptchaV3Token() {
  return new Promise((resolve, reject) => {
    grecaptcha.ready(() => {
      grecaptcha.execute(RECAPTCHA_SITE_KEY, { action: "submit" }).then(resolve, reject);
    });
  });
}

async function fetchApproovToken(api) {
  const { Approov, ApproovSessionError } = await loadApproov();
  try {
    return await Approov.fetchToken(api, {});
  } catch (error) {
    if (!(error instanceof ApproovSessionError)) throw error;
    await Approov.initializeSession({
      approovHost: APPROOV_HOST,
      approovSiteKey: APPROOV_SITE_KEY,
      hcaptchaSiteKey: HCAPTCHA_SITE_KEY,
      recaptchaSiteKey: RECAPTCHA_SITE_KEY,
      fingerprintPublicAPIKey: FINGERPRINT_PUBLIC_API_KEY,
    });
    // Get the three web protection results, then fetch the token with all of them.
    const [hcaptchaToken, recaptchaToken, fingerprintIDResult] = await Promise.all([
      document.getElementById("approov-hcaptcha-widget").executeAsync(),
      getRecaptchaV3Token(),
      fpPromise.then((fp) => fp.get()),
    ]);
    return Approov.fetchToken(api, { hcaptchaToken, recaptchaToken, fingerprintIDResult });
  }
}

startShapesApp(fetchApproovToken);
