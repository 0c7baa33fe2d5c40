import type { RecaptchaSiteConfig } from "../../account/account.js";
import type { CheckDecision } from "../check-outcome.js";
import { type SiteverifyResult, unsuccessfulDecision } from "../siteverify/siteverify.js";

/**
 * reCAPTCHA siteverify codes that blame our request or configuration (the site's
 * secret), not the user's token: an error for the operator rather than a failed check.
 * The user-token codes (invalid-input-response, timeout-or-duplicate,
 * missing-input-response) are failed checks.
 */
const CONFIG_ERROR_CODES = new Set(["missing-input-secret", "invalid-input-secret", "bad-request"]);

/**
 * Applies the site's rules to a reCAPTCHA siteverify answer. A passed check needs success,
 * an allowed hostname (when domains are configured; reCAPTCHA reports the page's full
 * hostname, subdomains included), an allowed action (when actions are configured and the
 * answer names one: v2 answers and v3 tokens requested without an action name none), and
 * a score of at least minScore (reCAPTCHA's score is already "likely human"; a v2 answer
 * has no score and cannot meet a non-zero minimum).
 */
export function decideRecaptcha(
  result: Omit<SiteverifyResult, "answer">,
  site: RecaptchaSiteConfig,
): CheckDecision {
  if (!result.success) {
    return unsuccessfulDecision(result, CONFIG_ERROR_CODES, "recap-token-check", "recaptcha");
  }
  if (site.domains.length > 0) {
    const hostname = result.hostname?.toLowerCase();
    if (hostname === undefined || !site.domains.includes(hostname)) {
      return { passed: false, reason: "recaptcha hostname not allowed" };
    }
  }
  if (site.actions.length > 0 && result.action) {
    if (!site.actions.includes(result.action)) {
      return { passed: false, reason: "recaptcha action not allowed" };
    }
  }
  if (site.minScore > 0) {
    if (result.score === undefined)
      return { passed: false, reason: "recaptcha min score (no score)" };
    if (result.score < site.minScore) return { passed: false, reason: "recaptcha min score" };
  }
  return { passed: true };
}
