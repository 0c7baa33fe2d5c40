window.addEventListener("load", () => {
  const navbar = document.getElementById("toggle-navbar");
  navbar.addEventListener("click", () => toggleNavbar("example-collapse-navbar"));

  const helloButton = document.getElementById("hello-button");
  helloButton.addEventListener("click", () => withTurnstileToken(fetchHello));

  const shapeButton = document.getElementById("shape-button");
  shapeButton.addEventListener("click", () => withTurnstileToken(fetchShape));
});

// A Turnstile token is single use: run the widget again for each API request.
let nextRequest = null;
function withTurnstileToken(request) {
  nextRequest = request;
  turnstile.reset("#turnstile-widget");
  turnstile.execute("#turnstile-widget");
}
function onTurnstileToken(turnstileToken) {
  const request = nextRequest;
  nextRequest = null;
  if (request) request(turnstileToken);
}

const API_VERSION = "v2";
// The deployment's URLs come from /config.js (served by apps/web); the quickstart's are the fallbacks.
const API_DOMAIN = window.SHAPES_CONFIG?.apiDomain || "shapes.approov.io";
const API_BASE_URL = window.SHAPES_CONFIG?.apiBaseUrl || `https://${API_DOMAIN}`;
const APPROOV_WEB_PROTECT_URL =
  window.SHAPES_CONFIG?.attestUrl || "https://web-1.approovr.io/attest";
const APPROOV_SITE_KEY = "___APPROOV_SITE_KEY___";
const TURNSTILE_SITE_KEY = "___TURNSTILE_SITE_KEY___";

function fetchApproovToken(turnstileToken) {
  const params = new URLSearchParams();

  // Add it like `api.example.com` not as `https://api.example.com`.
  params.append("api", API_DOMAIN);
  params.append("approov-site-key", APPROOV_SITE_KEY);
  params.append("turnstile-site-key", TURNSTILE_SITE_KEY);
  params.append("turnstile-token", turnstileToken);

  return fetch(APPROOV_WEB_PROTECT_URL, {
    method: "POST",
    body: params,
  }).then((response) => {
    if (!response.ok) {
      console.debug("Approov token fetch failed: ", response);
      throw new Error("Failed to fetch an Approov Token"); // reject with a throw on failure
    }

    return response.text(); // return the token on success
  });
}

function addRequestHeaders(turnstileToken) {
  return fetchApproovToken(turnstileToken).then((approovToken) => {
    return new Headers({
      Accept: "application/json",
      "Approov-Token": approovToken,
    });
  });
}

function makeApiRequest(path, turnstileToken) {
  hideFromScreen();

  return addRequestHeaders(turnstileToken)
    .then((headers) => fetch(`${API_BASE_URL}/${path}`, { headers: headers }))
    .then((response) => handleApiResponse(response));
}

function fetchHello(turnstileToken) {
  makeApiRequest(`${API_VERSION}/hello`, turnstileToken)
    .then((data) => {
      if (data.status >= 400) {
        document.getElementById("confused").classList.remove("hidden");
        return;
      }

      document.getElementById("start-app").classList.add("hidden");
      document.getElementById("hello").classList.remove("hidden");
    })
    .catch((error) => handleApiError(`Fetch from ${API_VERSION}/hello failed`, error));
}

function fetchShape(turnstileToken) {
  makeApiRequest(`${API_VERSION}/shapes`, turnstileToken)
    .then((data) => {
      if (data.status >= 400) {
        document.getElementById("confused").classList.remove("hidden");
        return;
      }

      const node = document.getElementById("shape");
      node.classList.add(`shape-${data.shape.toLowerCase()}`);
      node.classList.remove("hidden");
    })
    .catch((error) => handleApiError(`Fetch from ${API_VERSION}/shapes failed`, error));
}

// A failed API call answers JSON like {"status": "missing approov token"}: turn it into data
// whose numeric status the callers check, with "<HTTP status>: <message>" shown on screen.
function handleApiResponse(response) {
  document.getElementById("spinner").classList.add("hidden");

  return response
    .json()
    .catch(() => ({}))
    .then((body) => {
      if (response.ok) {
        return body;
      }

      console.debug("Error Response", response.status, body);
      const reason = typeof body?.status === "string" ? body.status : response.statusText;
      document.getElementById("status").textContent = `${response.status}: ${reason}`;
      return { status: response.status, message: reason };
    });
}

function handleApiError(message, error) {
  document.getElementById("spinner").classList.add("hidden");

  console.debug(message, error);

  document.getElementById("status").textContent = `${message}: ${error?.message || error}`;
  document.getElementById("confused").classList.remove("hidden");
}

function hideFromScreen() {
  document.getElementById("start-app").classList.add("hidden");
  document.getElementById("confused").classList.add("hidden");
  document.getElementById("hello").classList.add("hidden");
  document.getElementById("shape").className = "hidden";
  document.getElementById("status").textContent = "";
  document.getElementById("spinner").classList.remove("hidden");
}

function toggleNavbar(collapseID) {
  document.getElementById(collapseID).classList.toggle("hidden");
  document.getElementById(collapseID).classList.toggle("block");
}
