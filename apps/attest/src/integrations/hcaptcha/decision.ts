import { HCAPTCHA } from "@shapes/protocol";
import type { CheckDecision } from "../check-outcome.js";
import type { CaptchaSiteConfig } from "../siteverify/captcha-site.js";
import { decideSiteverify, type SiteverifyRules } from "../siteverify/decide.js";
import type { SiteverifyResult } from "../siteverify/siteverify.js";

/**
 * hCaptcha's rules. Its enterprise `score` is a risk score (higher = more bot-like) while
 * the configured minScore is a probability of being human, hence `1 - score`.
 */
export const HCAPTCHA_RULES: SiteverifyRules = {
  name: HCAPTCHA.name,
  code: HCAPTCHA.codes.tokenCheck,
  configErrorCodes: new Set([
    "missing-input-secret",
    "invalid-input-secret",
    "sitekey-secret-mismatch",
    "bad-request",
    "not-using-dummy-passcode",
  ]),
  reasonPrefix: "",
  humanity: (score) => 1 - score,
};

/** Applies the site's rules to an hCaptcha siteverify answer. */
export function decideHcaptcha(
  result: Omit<SiteverifyResult, "answer">,
  site: CaptchaSiteConfig,
): CheckDecision {
  return decideSiteverify(result, site, HCAPTCHA_RULES);
}
