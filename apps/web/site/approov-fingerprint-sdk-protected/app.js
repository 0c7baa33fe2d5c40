// Fingerprint with the Approov web SDK: one identification result per Approov session.
import {
  APPROOV_HOST,
  APPROOV_SITE_KEY,
  loadApproov,
  startShapesApp,
} from "../assets/js/sdk-shapes-app.js";

const FINGERPRINT_PUBLIC_API_KEY = "___FINGERPRINT_PUBLIC_API_KEY___";
// Fingerprint's CDN agent, as its quick start loads it (the server maps it to the sandbox locally).
const FINGERPRINT_AGENT = "https://fpjscdn.net/v3/";

// Initialize the Fingerprint agent at application startup.
const fpPromise = import(/* @vite-ignore */ FINGERPRINT_AGENT + FINGERPRINT_PUBLIC_API_KEY).then(
  (FingerprintJS) => FingerprintJS.load(),
);

// Fetches an Approov token and refreshes a Fingerprint identification result if required.
async function fetchApproovToken(api) {
  const { Approov, ApproovSessionError } = await loadApproov();
  try {
    return await Approov.fetchToken(api, {});
  } catch (error) {
    if (!(error instanceof ApproovSessionError)) throw error;
    await Approov.initializeSession({
      approovHost: APPROOV_HOST,
      approovSiteKey: APPROOV_SITE_KEY,
      fingerprintPublicAPIKey: FINGERPRINT_PUBLIC_API_KEY,
    });
    // Get a fresh Fingerprint result
    const result = await fpPromise.then((fp) => fp.get());
    return Approov.fetchToken(api, { fingerprintIDResult: result });
  }
}

startShapesApp(fetchApproovToken);
