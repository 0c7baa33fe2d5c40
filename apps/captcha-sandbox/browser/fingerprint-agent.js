/*
 * Fingerprint sandbox: the agent served as /fingerprint/v3/<publicKey> by the offline
 * stand-in for https://fpjscdn.net/v3/<publicKey>. Import it the same way:
 *   import(url).then((FingerprintJS) => FingerprintJS.load({ region })).then((fp) => fp.get())
 * There is no fingerprinting: the visitor is a random browser id kept in this page
 * origin's localStorage, which the sandbox turns into a stable visitorId. So a visitor is
 * stable per browser profile and origin, and a new profile (or cleared storage) is a new
 * visitor. An ES module, no imports.
 */

const REGIONS = ["us", "eu", "ap"];
const STORAGE_KEY = "_fpjs_sandbox_browser_id";
const moduleUrl = new URL(import.meta.url);
// Requests go to the origin the module came from; the public key is the last path segment.
const sandboxOrigin = moduleUrl.origin;
const publicKeyFromUrl = decodeURIComponent(moduleUrl.pathname.split("/").pop() || "");

/** Used when localStorage is unavailable (blocked storage): stable for this page only. */
let memoryBrowserId = "";

function newBrowserId() {
  const bytes = new Uint8Array(18);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_");
}

function browserId() {
  try {
    let id = localStorage.getItem(STORAGE_KEY);
    if (!id || !/^[A-Za-z0-9_-]{16,64}$/.test(id)) {
      id = newBrowserId();
      localStorage.setItem(STORAGE_KEY, id);
    }
    return id;
  } catch {
    if (!memoryBrowserId) memoryBrowserId = newBrowserId();
    return memoryBrowserId;
  }
}

/** Errors carry the agent's messages, which callers may compare against. */
async function identify(publicKey, region, options) {
  const body = {
    publicKey,
    region,
    browserId: browserId(),
    url: location.href,
    userAgent: navigator.userAgent,
  };
  if (options && options.tag !== undefined) body.tag = options.tag;
  if (options && options.linkedId !== undefined) body.linkedId = String(options.linkedId);
  let answer;
  try {
    answer = await fetch(`${sandboxOrigin}/fingerprint/identify`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
    });
  } catch {
    throw new Error("Network connection error");
  }
  if (answer.status === 429) throw new Error("Too many requests");
  if (answer.status === 400) {
    const problem = await answer.json().catch(() => null);
    throw new Error(problem?.message || "Request cannot be parsed");
  }
  if (!answer.ok) throw new Error("Failed to load the JS script of the agent");
  const result = await answer.json();
  return {
    requestId: result.requestId,
    visitorId: result.visitorId,
    visitorFound: result.visitorFound,
    confidence: result.confidence,
  };
}

/**
 * load({region?: "us"|"eu"|"ap", apiKey?}) -> Promise<agent>; agent.get({tag?, linkedId?})
 * -> Promise<{visitorId, requestId, confidence: {score}, visitorFound}>.
 */
export function load(options = {}) {
  const region = options.region === undefined ? "us" : options.region;
  if (!REGIONS.includes(region)) {
    return Promise.reject(new Error(`Invalid region "${region}": use "us", "eu" or "ap"`));
  }
  const publicKey = options.apiKey || options.token || publicKeyFromUrl;
  if (!publicKey) return Promise.reject(new Error("API key required"));
  return Promise.resolve({
    get(getOptions) {
      return identify(publicKey, region, getOptions);
    },
  });
}

export default { load };
