import { embedKey } from "@shapes/protocol";
import type { CheckOutcome } from "./check-outcome.js";
import { UNKNOWN_IP } from "./client-ip.js";
import { decideHcaptcha } from "./hcaptcha-decision.js";
import type { AttestSettings } from "./settings.js";
import { siteverify } from "./siteverify.js";
import { fullResult } from "./token-embed.js";
import type { HcaptchaCheck } from "./validate-web-protection.js";

/**
 * Asks siteverify about the user's token and applies the site's rules (and, on /token,
 * the page host the SDK reported). Throws UpstreamCheckError when no verdict came back.
 */
export async function runHcaptchaCheck(
  check: HcaptchaCheck,
  ip: string,
  settings: AttestSettings,
  now: () => number,
): Promise<CheckOutcome> {
  const { siteKey, token, site } = check;
  const result = await siteverify({
    url: settings.hcaptchaSiteverifyUrl,
    form: {
      secret: site.secret,
      response: token,
      sitekey: siteKey,
      ...(site.includeIP && ip !== UNKNOWN_IP ? { remoteip: ip } : {}),
    },
    timeoutMs: settings.upstreamTimeoutMs,
    code: "hcap-token-check",
  });
  let decision = decideHcaptcha(result, site);
  if (
    decision.passed &&
    check.host !== undefined &&
    result.hostname?.toLowerCase() !== check.host
  ) {
    decision = { passed: false, reason: "hostname differs from hcaptcha-host" };
  }
  const key = embedKey("hcaptcha", siteKey);
  const full = site.embedResult ? fullResult(result.answer) : undefined;
  return {
    decision,
    embeds: {
      minimal: {
        // A failed result may lack these; fill them so both token kinds look alike.
        [key]: {
          challenge_ts: result.challenge_ts ?? new Date(now()).toISOString(),
          hostname: result.hostname ?? "",
        },
      },
      full: full ? { [key]: full } : {},
    },
    result: { embedKey: key, maxResultLifetimeSeconds: site.maxResultLifetimeSeconds },
  };
}
