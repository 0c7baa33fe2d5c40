import { performance } from "node:perf_hooks";
import { embedKey, type Integration } from "@shapes/protocol";
import type { WebProtectionChecks } from "../endpoints/validate-web-protection.js";
import type { UpstreamObserver } from "../observability/metrics.js";
import type { CheckedResult } from "../sdk/session-expiry.js";
import type { AttestSettings } from "../settings.js";
import {
  enforceRateLimits,
  type RateLimitedKey,
  type RateLimitStore,
} from "../shared-state/rate-limit.js";
import type { Embeds } from "../tokens/token-embed.js";
import type { CheckDecision, CheckOutcome } from "./check-outcome.js";
import type { DecoyHostSources } from "./decoy-hostname.js";
import type { VisitSources } from "./decoy-result.js";
import { runFingerprintCheck } from "./fingerprint/check.js";
import { runHcaptchaCheck } from "./hcaptcha/check.js";
import { runRecaptchaCheck } from "./recaptcha/check.js";
import { UpstreamCheckError, UpstreamCheckErrors } from "./upstream-check-error.js";

export interface RunChecksDeps {
  settings: AttestSettings;
  limiter: RateLimitStore;
  now: () => number;
  /** Times each upstream check (the latency histogram). */
  metrics?: { observeUpstream: UpstreamObserver };
}

/**
 * Who asks: the client IP (`remoteip`, the `ip` claim), where decoy hostnames may come from,
 * and the browser's User-Agent and page URL (a Fingerprint decoy's visit).
 */
export interface CheckRequester extends DecoyHostSources, VisitSources {
  ip: string;
}

/** Every check of a request, together: one verdict, merged embeds, every result. */
export interface ChecksOutcome {
  /** Passed only when every check passed; else the failed checks' reasons. */
  decision: CheckDecision;
  embeds: Embeds;
  results: CheckedResult[];
}

/** Each requested integration's key and rateLimit, with the code a refusal is reported under. */
function rateLimitedKeys(checks: WebProtectionChecks): RateLimitedKey[] {
  const keys: RateLimitedKey[] = [];
  const { hcaptcha, recaptcha, fingerprint } = checks;
  if (hcaptcha) {
    keys.push({
      code: "hcap-token-check",
      key: embedKey("hcaptcha", hcaptcha.siteKey),
      limitPerMinute: hcaptcha.site.rateLimit,
    });
  }
  if (recaptcha) {
    keys.push({
      code: "recap-token-check",
      key: embedKey("recaptcha", recaptcha.siteKey),
      limitPerMinute: recaptcha.site.rateLimit,
    });
  }
  if (fingerprint) {
    keys.push({
      code: "fp-tok-check",
      key: embedKey("fingerprint", fingerprint.publicKey),
      limitPerMinute: fingerprint.subscription.rateLimit,
    });
  }
  return keys;
}

/** Times one integration's check as a whole: the upstream call and the verdict on its answer. */
function timed(
  integration: Integration,
  run: () => Promise<CheckOutcome>,
  observe: UpstreamObserver | undefined,
): Promise<CheckOutcome> {
  if (!observe) return run();
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  return run().then(
    (outcome) => {
      observe(integration, outcome.decision.passed ? "passed" : "failed", seconds());
      return outcome;
    },
    (error: unknown) => {
      observe(integration, "error", seconds());
      throw error;
    },
  );
}

/**
 * Runs the request's checks: rate limits first (a refused request spends no user token),
 * then every upstream check concurrently. Any check that could not be completed makes the
 * request an error (all such failures in one UpstreamCheckErrors when several); otherwise
 * the request passes only if every check passed. A valid token needs every supplied check.
 */
export async function runChecks(
  checks: WebProtectionChecks,
  requester: CheckRequester,
  deps: RunChecksDeps,
): Promise<ChecksOutcome> {
  const { settings, now } = deps;
  const { ip, userAgent, pageUrl, ...hosts } = requester;
  await enforceRateLimits(deps.limiter, rateLimitedKeys(checks));
  const observe = deps.metrics?.observeUpstream;
  const runs: Promise<CheckOutcome>[] = [];
  const { hcaptcha, recaptcha, fingerprint } = checks;
  if (hcaptcha) {
    runs.push(
      timed("hcaptcha", () => runHcaptchaCheck(hcaptcha, ip, hosts, settings, now), observe),
    );
  }
  if (recaptcha) {
    runs.push(
      timed("recaptcha", () => runRecaptchaCheck(recaptcha, ip, hosts, settings, now), observe),
    );
  }
  if (fingerprint) {
    const visit = {
      ip,
      ...(userAgent !== undefined ? { userAgent } : {}),
      ...(pageUrl !== undefined ? { pageUrl } : {}),
      fallbackUrl: `https://${hosts.pageHost ?? hosts.apis[0] ?? "localhost"}/`,
    };
    runs.push(
      timed("fingerprint", () => runFingerprintCheck(fingerprint, visit, settings, now), observe),
    );
  }
  const settled = await Promise.allSettled(runs);

  const failures: UpstreamCheckError[] = [];
  const outcomes: CheckOutcome[] = [];
  for (const run of settled) {
    if (run.status === "fulfilled") outcomes.push(run.value);
    else if (run.reason instanceof UpstreamCheckError) failures.push(run.reason);
    // Anything else is a bug: the bare 500, never a token.
    else throw run.reason;
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new UpstreamCheckErrors(failures);

  const embeds: Embeds = { minimal: {}, full: {} };
  const reasons: string[] = [];
  for (const outcome of outcomes) {
    Object.assign(embeds.minimal, outcome.embeds.minimal);
    Object.assign(embeds.full, outcome.embeds.full);
    if (!outcome.decision.passed) reasons.push(outcome.decision.reason);
  }
  return {
    decision:
      reasons.length === 0 ? { passed: true } : { passed: false, reason: reasons.join("; ") },
    embeds,
    results: outcomes.map((outcome) => outcome.result),
  };
}
