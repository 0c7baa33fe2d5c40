import type { HcaptchaCheck } from "../../endpoints/validate-web-protection.js";
import type { AttestSettings } from "../../settings.js";
import type { CheckOutcome } from "../check-outcome.js";
import { type DecoyHostSources, decoyHostname } from "../decoy-hostname.js";
import { runSiteverifyCheck, type SiteverifyCheck } from "../siteverify/siteverify-check.js";
import { decideHcaptcha } from "./decision.js";

/**
 * Asks siteverify about the user's token and applies the site's rules (and, on /token,
 * the page host the SDK reported). Throws UpstreamCheckError when no verdict came back.
 */
export function runHcaptchaCheck(
  check: HcaptchaCheck,
  ip: string,
  hosts: DecoyHostSources,
  settings: AttestSettings,
  now: () => number,
): Promise<CheckOutcome> {
  const { siteKey, site, host } = check;
  const spec: SiteverifyCheck = {
    ...check,
    integration: "hcaptcha",
    url: settings.hcaptchaSiteverifyUrl,
    code: "hcap-token-check",
    form: { sitekey: siteKey },
    decide: (result) => {
      const decision = decideHcaptcha(result, site);
      if (decision.passed && host !== undefined && result.hostname?.toLowerCase() !== host) {
        return { passed: false, reason: "hostname differs from hcaptcha-host" };
      }
      return decision;
    },
    challengeTs: (nowMs) => new Date(nowMs).toISOString(),
    decoyHostname: (answer) =>
      decoyHostname({
        ...hosts,
        service: "hcaptcha",
        answer,
        hcaptchaHost: host,
        domains: site.domains,
      }),
  };
  return runSiteverifyCheck(spec, ip, settings.upstreamTimeoutMs, now);
}
