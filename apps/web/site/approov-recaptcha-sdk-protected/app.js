// reCAPTCHA v3 with the Approov web SDK: one reCAPTCHA execution per Approov session.
import {
  APPROOV_HOST,
  APPROOV_SITE_KEY,
  loadApproov,
  startShapesApp,
} from "../assets/js/sdk-shapes-app.js";

const RECAPTCHA_SITE_KEY = "___RECAPTCHA_SITE_KEY___";

// The seed's getRecaptchaV3Token: run reCAPTCHA v3 for the "submit" action.
async function getRecaptchaV3Token() {
  return new Promise((resolve, reject) => {
    try {
      grecaptcha.ready(() => {
        grecaptcha.execute(RECAPTCHA_SITE_KEY, { action: "submit" }).then(resolve, reject);
      });
    } catch (error) {
      reject(error);
    }
  });
}

// Fetches an Approov token and gets a fresh reCAPTCHA token if required.
async function fetchApproovToken(api) {
  const { Approov, ApproovSessionError } = await loadApproov();
  try {
    return await Approov.fetchToken(api, {});
  } catch (error) {
    if (!(error instanceof ApproovSessionError)) throw error;
    await Approov.initializeSession({
      approovHost: APPROOV_HOST,
      approovSiteKey: APPROOV_SITE_KEY,
      recaptchaSiteKey: RECAPTCHA_SITE_KEY,
    });
    const recaptchaToken = await getRecaptchaV3Token();
    return Approov.fetchToken(api, { recaptchaToken });
  }
}

startShapesApp(fetchApproovToken);
