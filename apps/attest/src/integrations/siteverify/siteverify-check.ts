import { embedKey, type Integration } from "@shapes/protocol";
import type { HcaptchaSiteConfig } from "../../account/account.js";
import { UNKNOWN_IP } from "../../http/client-ip.js";
import { fullResult } from "../../tokens/token-embed.js";
import type { CheckDecision, CheckOutcome } from "../check-outcome.js";
import { decoySiteverifyAnswer } from "../decoy-result.js";
import type { UpstreamCheckCode } from "../upstream-check-error.js";
import { type SiteverifyResult, siteverify } from "./siteverify.js";

/** One siteverify-based check (hCaptcha's or reCAPTCHA's): what differs between the two. */
export interface SiteverifyCheck {
  integration: Extract<Integration, "hcaptcha" | "recaptcha">;
  siteKey: string;
  /** The user's token (single use at siteverify). */
  token: string;
  /** The site's entry (a reCAPTCHA site is an hCaptcha site plus actions). */
  site: HcaptchaSiteConfig;
  url: string;
  code: UpstreamCheckCode;
  /** Form fields besides secret, response and remoteip (hCaptcha's sitekey). */
  form?: Record<string, string>;
  /** The site's rules applied to the answer (may throw UpstreamCheckError). */
  decide(result: SiteverifyResult): CheckDecision;
  /** The challenge_ts a failed answer lacks, as this service itself writes it. */
  challengeTs(nowMs: number): string;
  /** A failed check's hostname (never empty): the answer's, else one derived from the request. */
  decoyHostname(answerHostname: string | undefined): string;
}

/**
 * Asks siteverify about the user's token (with `remoteip` when the site has includeIP)
 * and applies the site's rules. Throws UpstreamCheckError when no verdict came back.
 */
export async function runSiteverifyCheck(
  check: SiteverifyCheck,
  ip: string,
  timeoutMs: number,
  now: () => number,
): Promise<CheckOutcome> {
  const { site } = check;
  const result = await siteverify({
    url: check.url,
    form: {
      secret: site.secret,
      response: check.token,
      ...check.form,
      ...(site.includeIP && ip !== UNKNOWN_IP ? { remoteip: ip } : {}),
    },
    timeoutMs,
    code: check.code,
  });
  const decision = check.decide(result);
  const key = embedKey(check.integration, check.siteKey);
  // A failed result lacks these; fill them so valid and decoy tokens look alike.
  // A valid token keeps exactly the upstream's hostname.
  const entry = {
    challenge_ts: result.challenge_ts ?? check.challengeTs(now()),
    hostname: decision.passed ? (result.hostname ?? "") : check.decoyHostname(result.hostname),
  };
  // A success=false answer is much shorter than a success: its decoy JWE would stand out.
  const answer = result.success
    ? result.answer
    : decoySiteverifyAnswer(check.integration, result.answer, entry, site);
  const full = site.embedResult ? fullResult(answer) : undefined;
  return {
    decision,
    embeds: { minimal: { [key]: entry }, full: full ? { [key]: full } : {} },
    result: { embedKey: key, maxResultLifetimeSeconds: site.maxResultLifetimeSeconds },
  };
}
