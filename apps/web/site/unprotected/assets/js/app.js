window.addEventListener("load", () => {
  const navbar = document.getElementById("toggle-navbar");
  navbar.addEventListener("click", () => toggleNavbar("example-collapse-navbar"));

  const helloButton = document.getElementById("hello-button");
  helloButton.addEventListener("click", () => fetchHello());

  const shapeButton = document.getElementById("shape-button");
  shapeButton.addEventListener("click", () => fetchShape());
});

const API_VERSION = "v1";
// The deployment's URLs come from /config.js (served by apps/web); the quickstart's are the fallbacks.
const API_DOMAIN = window.SHAPES_CONFIG?.apiDomain || "shapes.approov.io";
const API_BASE_URL = window.SHAPES_CONFIG?.apiBaseUrl || `https://${API_DOMAIN}`;

function addRequestHeaders() {
  return new Headers({
    Accept: "application/json",
  });
}

function makeApiRequest(path) {
  hideFromScreen();

  return fetch(`${API_BASE_URL}/${path}`, { headers: addRequestHeaders() }).then((response) =>
    handleApiResponse(response),
  );
}

function fetchHello() {
  makeApiRequest(`${API_VERSION}/hello`)
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

function fetchShape() {
  makeApiRequest(`${API_VERSION}/shapes`)
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
