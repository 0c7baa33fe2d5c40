import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The files the sandbox serves to browsers, read once at start. */
export interface BrowserAssets {
  /** `GET /1/api.js`: defines `window.hcaptcha`. */
  apiJs: string;
  /** `GET /1/checkbox.html`: the visible widget's iframe. */
  checkboxHtml: string;
  /** `GET /1/checkbox.js`: the iframe's script (a file, so the iframe's CSP needs no inline script). */
  checkboxJs: string;
  /** `GET /recaptcha/api.js`: defines `window.grecaptcha`. */
  recaptchaApiJs: string;
  /** `GET /recaptcha/checkbox.html` and `.js`: the v2 checkbox iframe. */
  recaptchaCheckboxHtml: string;
  recaptchaCheckboxJs: string;
  /** `GET /fingerprint/v3/<publicKey>`: the Fingerprint agent, an ES module. */
  fingerprintAgentJs: string;
}

// `browser/` sits at the package root, one level above both src/ (tsx, vitest) and dist/.
const BROWSER_DIR = new URL("../browser/", import.meta.url);

export function loadBrowserAssets(): BrowserAssets {
  const read = (name: string) => readFileSync(fileURLToPath(new URL(name, BROWSER_DIR)), "utf8");
  return {
    apiJs: read("api.js"),
    checkboxHtml: read("checkbox.html"),
    checkboxJs: read("checkbox.js"),
    recaptchaApiJs: read("recaptcha-api.js"),
    recaptchaCheckboxHtml: read("recaptcha-checkbox.html"),
    recaptchaCheckboxJs: read("recaptcha-checkbox.js"),
    fingerprintAgentJs: read("fingerprint-agent.js"),
  };
}
