import { embedKey } from "@shapes/protocol";
import type { CheckOutcome } from "./check-outcome.js";
import { UNKNOWN_IP } from "./client-ip.js";
import { decideRecaptcha } from "./recaptcha-decision.js";
import type { AttestSettings } from "./settings.js";
import { siteverify } from "./siteverify.js";
import { fullResult } from "./token-embed.js";
import type { RecaptchaCheck } from "./validate-web-protection.js";

/**
 * Asks reCAPTCHA's siteverify about the user's token (with `remoteip` when the site has
 * includeIP) and applies the site's rules. Throws UpstreamCheckError (recap-token-check)
 * when no verdict came back or the site's secret was refused.
 */
export async function runRecaptchaCheck(
  check: RecaptchaCheck,
  ip: string,
  settings: AttestSettings,
  now: () => number,
): Promise<CheckOutcome> {
  const { siteKey, token, site } = check;
  const result = await siteverify({
    url: settings.recaptchaSiteverifyUrl,
    // Google's siteverify takes no sitekey field: secret, response and remoteip only.
    form: {
      secret: site.secret,
      response: token,
      ...(site.includeIP && ip !== UNKNOWN_IP ? { remoteip: ip } : {}),
    },
    timeoutMs: settings.upstreamTimeoutMs,
    code: "recap-token-check",
  });
  const decision = decideRecaptcha(result, site);
  const key = embedKey("recaptcha", siteKey);
  const full = site.embedResult ? fullResult(result.answer) : undefined;
  return {
    decision,
    embeds: {
      minimal: {
        // A failed result lacks these; fill them so valid and decoy tokens look alike.
        [key]: {
          challenge_ts:
            result.challenge_ts ?? new Date(now()).toISOString().replace(/\.\d{3}Z$/, "Z"),
          hostname: result.hostname ?? "",
        },
      },
      full: full ? { [key]: full } : {},
    },
    result: { embedKey: key, maxResultLifetimeSeconds: site.maxResultLifetimeSeconds },
  };
}
