// Cloudflare Turnstile with the Approov web SDK: one Turnstile token per Approov session.
import {
  APPROOV_HOST,
  APPROOV_SITE_KEY,
  loadApproov,
  startShapesApp,
} from "../assets/js/sdk-shapes-app.js";

const TURNSTILE_SITE_KEY = "___TURNSTILE_SITE_KEY___";

let widgetId;

// A fresh Turnstile token (single use, valid 300 s): run the widget, once rendered.
function getTurnstileToken() {
  return new Promise((resolve, reject) => {
    const callbacks = {
      callback: resolve,
      "error-callback": (code) => reject(new Error(`Turnstile error ${code}`)),
    };
    // A new session's check: a new widget with this promise's callbacks.
    if (widgetId !== undefined) turnstile.remove(widgetId);
    widgetId = turnstile.render("#turnstile-widget", {
      sitekey: TURNSTILE_SITE_KEY,
      execution: "execute",
      ...callbacks,
    });
    turnstile.execute(widgetId);
  });
}

// Fetches an Approov token and gets a fresh Turnstile token if required.
async function fetchApproovToken(api) {
  const { Approov, ApproovSessionError } = await loadApproov();
  try {
    return await Approov.fetchToken(api, {});
  } catch (error) {
    if (!(error instanceof ApproovSessionError)) throw error;
    await Approov.initializeSession({
      approovHost: APPROOV_HOST,
      approovSiteKey: APPROOV_SITE_KEY,
      turnstileSiteKey: TURNSTILE_SITE_KEY,
    });
    const turnstileToken = await getTurnstileToken();
    return Approov.fetchToken(api, { turnstileToken });
  }
}

startShapesApp(fetchApproovToken);
