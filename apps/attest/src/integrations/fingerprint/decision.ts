import type { CheckDecision } from "../check-outcome.js";
import type { FingerprintEvent } from "./events.js";
import type { FingerprintSubscriptionConfig } from "./subscription.js";

/**
 * The Server API v3 has no bot probability, only a bot result: "bad" counts as 1,
 * "notDetected" and "good" as 0; anything else (or no botd result) as unknown.
 */
export function botProbability(event: FingerprintEvent): number | undefined {
  if (event.botResult === "bad") return 1;
  if (event.botResult === "notDetected" || event.botResult === "good") return 0;
  return undefined;
}

/**
 * Applies the subscription's rules to the event of the request id the browser sent. A
 * passed check needs: a known request id, the same visitor id as the browser's, a first
 * lookup (a replayed request id is someone reusing a get() result), a result no older than
 * maxElapsedTimeSeconds, and a bot probability of at most maxBotProbability (an unknown
 * one cannot meet a maximum below 1).
 */
export function decideFingerprint(
  event: FingerprintEvent | undefined,
  visitorId: string,
  subscription: FingerprintSubscriptionConfig,
  nowMs: number,
): CheckDecision {
  if (!event) return { passed: false, reason: "fingerprint request id not found" };
  if (event.visitorId !== visitorId) {
    return { passed: false, reason: "fingerprint visitor id mismatch" };
  }
  if (event.replayed) return { passed: false, reason: "fingerprint request replayed" };
  if (nowMs - event.timestamp > subscription.maxElapsedTimeSeconds * 1000) {
    return { passed: false, reason: "fingerprint max elapsed time" };
  }
  if (subscription.maxBotProbability < 1) {
    const probability = botProbability(event);
    if (probability === undefined || probability > subscription.maxBotProbability) {
      return { passed: false, reason: "fingerprint max bot probability" };
    }
  }
  return { passed: true };
}
