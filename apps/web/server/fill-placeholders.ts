import type { WebConfig } from "./config.js";
import { INTEGRATION_SCRIPTS, type ScriptUrlField } from "./integrations.js";

export const HCAPTCHA_SITE_KEY_PLACEHOLDER = "___HCAPTCHA_SITE_KEY___";
export const APPROOV_SITE_KEY_PLACEHOLDER = "___APPROOV_SITE_KEY___";
export const RECAPTCHA_SITE_KEY_PLACEHOLDER = "___RECAPTCHA_SITE_KEY___";
export const FINGERPRINT_KEY_PLACEHOLDER = "___FINGERPRINT_PUBLIC_API_KEY___";
export const TURNSTILE_SITE_KEY_PLACEHOLDER = "___TURNSTILE_SITE_KEY___";

type FillConfig = Pick<
  WebConfig,
  | "hcaptchaSiteKey"
  | "approovSiteKey"
  | "recaptchaSiteKey"
  | "fingerprintPublicApiKey"
  | "turnstileSiteKey"
  | ScriptUrlField
>;

/**
 * Does to a page or script what the quickstart's `sed` commands do by hand: the site keys
 * replace their placeholders, and the local sandbox replaces the real services' script
 * URLs. Text without placeholders (already edited by hand) comes back unchanged.
 */
export function fillPlaceholders(text: string, config: FillConfig): string {
  const keys: [string, string | undefined][] = [
    [HCAPTCHA_SITE_KEY_PLACEHOLDER, config.hcaptchaSiteKey],
    [APPROOV_SITE_KEY_PLACEHOLDER, config.approovSiteKey],
    [RECAPTCHA_SITE_KEY_PLACEHOLDER, config.recaptchaSiteKey],
    [FINGERPRINT_KEY_PLACEHOLDER, config.fingerprintPublicApiKey],
    [TURNSTILE_SITE_KEY_PLACEHOLDER, config.turnstileSiteKey],
  ];
  let filled = text;
  for (const [placeholder, value] of keys) {
    if (value !== undefined) filled = filled.replaceAll(placeholder, value);
  }
  for (const integration of INTEGRATION_SCRIPTS) {
    const local = config[integration.field];
    if (local === undefined) continue;
    for (const url of integration.realUrls) filled = filled.replaceAll(url, local);
  }
  return filled;
}
