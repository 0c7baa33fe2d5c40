import { RECAPTCHA } from "@shapes/protocol";
import type { SiteverifyRules } from "../siteverify/decide.js";
import type { RecaptchaSiteConfig } from "./site.js";

/**
 * reCAPTCHA's rules. Its score is already "likely human"; it reports the page's full
 * hostname (subdomains included); an action is checked when actions are configured and the
 * answer names one (v2 answers and v3 tokens requested without an action name none). The
 * user-token codes (invalid-input-response, timeout-or-duplicate, missing-input-response)
 * are failed checks.
 */
export const RECAPTCHA_RULES: SiteverifyRules<RecaptchaSiteConfig> = {
  name: RECAPTCHA.name,
  code: RECAPTCHA.codes.tokenCheck,
  configErrorCodes: new Set(["missing-input-secret", "invalid-input-secret", "bad-request"]),
  reasonPrefix: "recaptcha ",
  humanity: (score) => score,
  extra: (result, site) =>
    site.actions.length > 0 && result.action && !site.actions.includes(result.action)
      ? { passed: false, reason: "recaptcha action not allowed" }
      : undefined,
};
