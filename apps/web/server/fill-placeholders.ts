import type { WebConfig } from "./config.js";

export const HCAPTCHA_SITE_KEY_PLACEHOLDER = "___HCAPTCHA_SITE_KEY___";
export const APPROOV_SITE_KEY_PLACEHOLDER = "___APPROOV_SITE_KEY___";
/**
 * The hCaptcha script URLs pages carry: the quickstart's, and the default that
 * @hcaptcha/vanilla-hcaptcha's `jsapi` attribute uses.
 */
export const HCAPTCHA_JS_URLS_IN_PAGES = [
  "https://hcaptcha.com/1/api.js",
  "https://js.hcaptcha.com/1/api.js",
] as const;

/**
 * Does to a page or script what the quickstart's `sed` commands do by hand: the site keys
 * replace their placeholders, and the local hCaptcha sandbox replaces the real script URL.
 * Text without placeholders (already edited by hand) comes back unchanged.
 */
export function fillPlaceholders(
  text: string,
  config: Pick<WebConfig, "hcaptchaSiteKey" | "approovSiteKey" | "hcaptchaJsUrl">,
): string {
  let filled = text.replaceAll(HCAPTCHA_SITE_KEY_PLACEHOLDER, config.hcaptchaSiteKey);
  if (config.approovSiteKey !== undefined) {
    filled = filled.replaceAll(APPROOV_SITE_KEY_PLACEHOLDER, config.approovSiteKey);
  }
  if (config.hcaptchaJsUrl !== undefined) {
    for (const url of HCAPTCHA_JS_URLS_IN_PAGES) {
      filled = filled.replaceAll(url, config.hcaptchaJsUrl);
    }
  }
  return filled;
}
