// The Shapes app on the Approov web SDK, shared by the SDK pages: each page brings only its
// fetchApproovToken(api) (the seed's lazy (re-)initialisation for its human check).
import "./navbar.js";
import {
  readApiResponse,
  showBusy,
  showConfused,
  showHello,
  showSession,
  showShape,
} from "./shapes-view.js";

// The deployment's values come from /config.js (served by apps/web); the public ones are the fallbacks.
export const API_VERSION = "v2";
export const API_DOMAIN = window.SHAPES_CONFIG?.apiDomain || "shapes.approov.io";
export const API_BASE_URL = window.SHAPES_CONFIG?.apiBaseUrl || `https://${API_DOMAIN}`;
export const APPROOV_HOST = window.SHAPES_CONFIG?.approovHost || "web-1.approovr.io";
export const APPROOV_SITE_KEY = "___APPROOV_SITE_KEY___";

// The SDK file as a site owner copies it into their project (not bundled into the page).
const APPROOV_SDK_URL = "/approov.js";
export const loadApproov = () => import(/* @vite-ignore */ APPROOV_SDK_URL);

// A random application nonce for the DPoP proof (the seed's getDPoPToken example).
function randomNonce() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

async function showSessionEnd(Approov) {
  const { session } = await Approov.getExpiries();
  if (session) showSession(`Approov session until ${new Date(session).toLocaleTimeString()}`);
}

/** Wires HELLO and SHAPE: each call carries an Approov token and a DPoP proof of the session key. */
export function startShapesApp(fetchApproovToken) {
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

  document.getElementById("hello-button").addEventListener("click", () => {
    makeApiRequest(`${API_VERSION}/hello`)
      .then(() => showHello())
      .catch((error) => showConfused(error.message));
  });
  document.getElementById("shape-button").addEventListener("click", () => {
    // The Shapes API's DPoP route checks the proof against the token and this request.
    makeApiRequest(`${API_VERSION}/dpop/shapes`)
      .then((data) => showShape(data.shape))
      .catch((error) => showConfused(error.message));
  });
}
