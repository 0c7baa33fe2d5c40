import type { RecaptchaCheck } from "../../endpoints/validate-web-protection.js";
import type { AttestSettings } from "../../settings.js";
import type { CheckOutcome } from "../check-outcome.js";
import { type DecoyHostSources, decoyHostname } from "../decoy-hostname.js";
import { runSiteverifyCheck, type SiteverifyCheck } from "../siteverify/siteverify-check.js";
import { decideRecaptcha } from "./decision.js";

/**
 * Asks reCAPTCHA's siteverify about the user's token (with `remoteip` when the site has
 * includeIP) and applies the site's rules. Throws UpstreamCheckError (recap-token-check)
 * when no verdict came back or the site's secret was refused.
 */
export function runRecaptchaCheck(
  check: RecaptchaCheck,
  ip: string,
  hosts: DecoyHostSources,
  settings: AttestSettings,
  now: () => number,
): Promise<CheckOutcome> {
  const spec: SiteverifyCheck = {
    ...check,
    integration: "recaptcha",
    url: settings.recaptchaSiteverifyUrl,
    code: "recap-token-check",
    // Google's siteverify takes no sitekey field: secret, response and remoteip only.
    decide: (result) => decideRecaptcha(result, check.site),
    // reCAPTCHA writes its timestamps without milliseconds.
    challengeTs: (nowMs) => new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, "Z"),
    decoyHostname: (answer) =>
      decoyHostname({ ...hosts, service: "recaptcha", answer, domains: check.site.domains }),
  };
  return runSiteverifyCheck(spec, ip, settings.upstreamTimeoutMs, now);
}
