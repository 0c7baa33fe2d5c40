import type { HcaptchaSiteConfig } from "../../account/account.js";
import type { CheckDecision } from "../check-outcome.js";
import { type SiteverifyResult, unsuccessfulDecision } from "../siteverify/siteverify.js";

/**
 * siteverify codes that blame our request or configuration (the site's secret),
 * not the user's token: an error for the operator rather than a failed check.
 */
const CONFIG_ERROR_CODES = new Set([
  "missing-input-secret",
  "invalid-input-secret",
  "sitekey-secret-mismatch",
  "bad-request",
  "not-using-dummy-passcode",
]);

export type HcaptchaDecision = CheckDecision;

/**
 * Applies the site's rules to a siteverify answer. A passed check needs success,
 * an allowed hostname (when domains are configured) and enough humanity: hCaptcha's
 * `score` is a risk score (higher = more bot-like) while the configured minScore is a
 * probability of being human, hence `1 - score`. A result without a score cannot
 * meet a non-zero minimum.
 */
export function decideHcaptcha(
  result: Omit<SiteverifyResult, "answer">,
  site: HcaptchaSiteConfig,
): HcaptchaDecision {
  if (!result.success) {
    return unsuccessfulDecision(result, CONFIG_ERROR_CODES, "hcap-token-check", "hcaptcha");
  }
  if (site.domains.length > 0) {
    const hostname = result.hostname?.toLowerCase();
    if (hostname === undefined || !site.domains.includes(hostname)) {
      return { passed: false, reason: "hostname not allowed" };
    }
  }
  if (site.minScore > 0) {
    if (result.score === undefined) return { passed: false, reason: "min score (no score)" };
    if (1 - result.score < site.minScore) return { passed: false, reason: "min score" };
  }
  return { passed: true };
}
