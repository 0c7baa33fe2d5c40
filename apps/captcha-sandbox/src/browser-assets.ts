import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  type CheckboxService,
  HCAPTCHA_CHECKBOX,
  RECAPTCHA_CHECKBOX,
} from "./checkbox-services.js";
import { fillHtml, fillScript } from "./fill-template.js";

/** The files the sandbox serves to browsers, read and put together once at start. */
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
  /** `GET /turnstile/v0/api.js`: defines `window.turnstile`. */
  turnstileApiJs: string;
}

// `browser/` sits at the package root, one level above both src/ (tsx, vitest) and dist/.
const BROWSER_DIR = new URL("../browser/", import.meta.url);

export function loadBrowserAssets(): BrowserAssets {
  const read = (name: string) => readFileSync(fileURLToPath(new URL(name, BROWSER_DIR)), "utf8");
  const plumbing = read("widget-plumbing.js");
  // One function around both files: the served api.js stays one self-contained script and
  // the plumbing adds no global of its own.
  const apiScript = (serviceFile: string) => `(() => {\n${plumbing}\n${read(serviceFile)}})();\n`;
  const checkboxHtml = read("checkbox.html");
  const checkboxJs = read("checkbox.js");
  const checkbox = (service: CheckboxService) => ({
    html: fillHtml(checkboxHtml, service.page),
    js: fillScript(checkboxJs, service.script),
  });
  const hcaptcha = checkbox(HCAPTCHA_CHECKBOX);
  const recaptcha = checkbox(RECAPTCHA_CHECKBOX);
  return {
    apiJs: apiScript("api.js"),
    checkboxHtml: hcaptcha.html,
    checkboxJs: hcaptcha.js,
    recaptchaApiJs: apiScript("recaptcha-api.js"),
    recaptchaCheckboxHtml: recaptcha.html,
    recaptchaCheckboxJs: recaptcha.js,
    fingerprintAgentJs: read("fingerprint-agent.js"),
    turnstileApiJs: apiScript("turnstile-api.js"),
  };
}
