import { FINGERPRINT } from "@shapes/protocol";
import { fullResult } from "../../tokens/token-embed.js";
import type { CheckOutcome } from "../check-outcome.js";
import type { CheckContext, RequestedCheck } from "../integration.js";
import { botProbability, decideFingerprint } from "./decision.js";
import { decoyFingerprintEvent } from "./decoy-event.js";
import { type FingerprintEvent, fetchFingerprintEvent } from "./events.js";
import type { FingerprintSubscriptionConfig } from "./subscription.js";

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
  request: RequestedCheck<FingerprintSubscriptionConfig>,
  context: CheckContext,
): Promise<CheckOutcome> {
  const { key: publicKey, entry: subscription, results } = request;
  const [visitorId, requestId] = FINGERPRINT.resultParams.map((name) => results[name]) as [
    string,
    string,
  ];
  const { settings, now, hosts } = context;
  const event = await fetchFingerprintEvent({
    baseUrl: settings.fingerprintApiUrls[subscription.region],
    secret: subscription.secret,
    requestId,
    timeoutMs: settings.upstreamTimeoutMs,
  });
  const decision = decideFingerprint(event, visitorId, subscription, now());
  const key = `${FINGERPRINT.embedPrefix}${publicKey}`;
  // Full results go into JWEs only: a decoy's is encrypted under a key nobody has. An
  // unknown request id has no event: a synthesized one keeps the decoy's length.
  const visit = {
    ip: context.ip,
    ...context.visit,
    fallbackUrl: `https://${hosts.pageHost ?? hosts.apis[0] ?? "localhost"}/`,
  };
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
