// The Shapes app with the Approov web SDK (approov.js) and hCaptcha's web component:
// one hCaptcha per Approov session, short-lived Approov tokens refreshed by the SDK,
// and a DPoP proof of the session key with every API call.
import "@hcaptcha/vanilla-hcaptcha";
import "../assets/js/navbar.js";
import {
  readApiResponse,
  showBusy,
  showConfused,
  showHello,
  showSession,
  showShape,
} from "../assets/js/shapes-view.js";

// The deployment's values come from /config.js (served by apps/web); the public ones are the fallbacks.
const API_VERSION = "v2";
const API_DOMAIN = window.SHAPES_CONFIG?.apiDomain || "shapes.approov.io";
const API_BASE_URL = window.SHAPES_CONFIG?.apiBaseUrl || `https://${API_DOMAIN}`;
const APPROOV_HOST = window.SHAPES_CONFIG?.approovHost || "web-1.approovr.io";
const APPROOV_SITE_KEY = "___APPROOV_SITE_KEY___";
const HCAPTCHA_SITE_KEY = "___HCAPTCHA_SITE_KEY___";
// The SDK file as a site owner copies it into their project (not bundled into this page).
const APPROOV_SDK_URL = "/approov.js";

const loadApproov = () => import(/* @vite-ignore */ APPROOV_SDK_URL);

// Fetches an Approov token and gets a fresh hCaptcha token if required: the seed's lazy
// (re-)initialisation of Approov sessions.
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

// A random application nonce for the DPoP proof (the seed's getDPoPToken example).
function randomNonce() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

async function makeApiRequest(path) {
  showBusy();
  const { Approov } = await loadApproov();
  const url = `${API_BASE_URL}/${path}`;
  const approovToken = await fetchApproovToken(API_DOMAIN);
  // Proof that this browser's session key holds the token: a copied token is not enough.
  const dpop = await Approov.getDPoPToken("GET", url, randomNonce(), approovToken);
  const response = await fetch(url, {
    headers: { Accept: "application/json", "Approov-Token": approovToken, DPoP: dpop },
  });
  await showSessionEnd(Approov);
  return readApiResponse(response);
}

async function showSessionEnd(Approov) {
  const { session } = await Approov.getExpiries();
  if (session) showSession(`Approov session until ${new Date(session).toLocaleTimeString()}`);
}

function fetchHello() {
  makeApiRequest(`${API_VERSION}/hello`)
    .then(() => showHello())
    .catch((error) => showConfused(error.message));
}

function fetchShape() {
  // The Shapes API's DPoP route checks the proof against the token and this request.
  makeApiRequest(`${API_VERSION}/dpop/shapes`)
    .then((data) => showShape(data.shape))
    .catch((error) => showConfused(error.message));
}

document.getElementById("hello-button").addEventListener("click", fetchHello);
document.getElementById("shape-button").addEventListener("click", fetchShape);
