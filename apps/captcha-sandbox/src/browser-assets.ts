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
}

// `browser/` sits at the package root, one level above both src/ (tsx, vitest) and dist/.
const BROWSER_DIR = new URL("../browser/", import.meta.url);

export function loadBrowserAssets(): BrowserAssets {
  const read = (name: string) => readFileSync(fileURLToPath(new URL(name, BROWSER_DIR)), "utf8");
  return {
    apiJs: read("api.js"),
    checkboxHtml: read("checkbox.html"),
    checkboxJs: read("checkbox.js"),
  };
}
