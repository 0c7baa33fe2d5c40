import { embedKey } from "@shapes/protocol";
import type { FingerprintCheck } from "../../endpoints/validate-web-protection.js";
import type { AttestSettings } from "../../settings.js";
import { fullResult } from "../../tokens/token-embed.js";
import type { CheckOutcome } from "../check-outcome.js";
import { type DecoyVisit, decoyFingerprintEvent } from "../decoy-result.js";
import { botProbability, decideFingerprint } from "./decision.js";
import { type FingerprintEvent, fetchFingerprintEvent } from "./events.js";

/** The identification fields of the seed's full embedded result, in its order. */
const VISIT_FIELDS = ["incognito", "ip", "ipLocation", "time", "timestamp", "url", "tag"];

/**
 * The seed's full Fingerprint result (the older visitors API shape):
 * `{visitorId, visits: [{requestId, browserDetails: {..., botProbability}, incognito, ip,
 * ipLocation, time, timestamp, url, tag}]}`, built from the v3 event.
 */
function fullVisit(event: FingerprintEvent): Record<string, unknown> {
  const data = event.identification;
  const details = data.browserDetails;
  const probability = botProbability(event);
  const visit: Record<string, unknown> = { requestId: event.requestId };
  if (typeof details === "object" && details !== null && !Array.isArray(details)) {
    visit.browserDetails = {
      ...details,
      ...(probability !== undefined ? { botProbability: probability } : {}),
    };
  }
  for (const field of VISIT_FIELDS) {
    if (data[field] !== undefined) visit[field] = data[field];
  }
  return { visitorId: event.visitorId, visits: [visit] };
}

/**
 * Looks the browser's get() result up with the subscription's region Server API and
 * applies the subscription's rules. Throws UpstreamCheckError (fp-tok-check) when no
 * verdict came back.
 */
export async function runFingerprintCheck(
  check: FingerprintCheck,
  visit: DecoyVisit,
  settings: AttestSettings,
  now: () => number,
): Promise<CheckOutcome> {
  const { publicKey, visitorId, requestId, subscription } = check;
  const event = await fetchFingerprintEvent({
    baseUrl: settings.fingerprintApiUrls[subscription.region],
    secret: subscription.secret,
    requestId,
    timeoutMs: settings.upstreamTimeoutMs,
  });
  const decision = decideFingerprint(event, visitorId, subscription, now());
  const key = embedKey("fingerprint", publicKey);
  // Full results go into JWEs only: a decoy's is encrypted under a key nobody has. An
  // unknown request id has no event: a synthesized one keeps the decoy's length.
  const full = subscription.embedResult
    ? fullResult(fullVisit(event ?? decoyFingerprintEvent({ visitorId, requestId }, visit, now())))
    : undefined;
  return {
    decision,
    embeds: {
      // The seed's default: the visitor and request ids, in the full result's structure. The
      // browser's own ids: a decoy must not tell a mismatched caller the real visitor id.
      minimal: { [key]: { visitorId, visits: [{ requestId }] } },
      full: full ? { [key]: full } : {},
    },
    result: { embedKey: key, maxResultLifetimeSeconds: subscription.maxResultLifetimeSeconds },
  };
}
