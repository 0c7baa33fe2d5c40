// hCaptcha with the Approov web SDK: hCaptcha's web component runs once per Approov session.
import "@hcaptcha/vanilla-hcaptcha";
import {
  APPROOV_HOST,
  APPROOV_SITE_KEY,
  loadApproov,
  startShapesApp,
} from "../assets/js/sdk-shapes-app.js";

const HCAPTCHA_SITE_KEY = "___HCAPTCHA_SITE_KEY___";

// Fetches an Approov token and gets a fresh hCaptcha token if required (the seed's lazy
// (re-)initialisation of Approov sessions).
async function fetchApproovToken(api) {
  const { Approov, ApproovSessionError } = await loadApproov();
  try {
    // Try to fetch an Approov token
    return await Approov.fetchToken(api, {});
  } catch (error) {
    if (!(error instanceof ApproovSessionError)) throw error;
    // Approov has not been initialized yet or the session has expired: start a new one
    await Approov.initializeSession({
      approovHost: APPROOV_HOST,
      approovSiteKey: APPROOV_SITE_KEY,
      hcaptchaSiteKey: HCAPTCHA_SITE_KEY,
    });
    // Perform the challenge and get a fresh hCaptcha token
    const hcaptchaToken = await document.getElementById("approov-hcaptcha-widget").executeAsync();
    // Fetch the Approov token
    return Approov.fetchToken(api, { hcaptchaToken });
  }
}

startShapesApp(fetchApproovToken);
