import { performance } from "node:perf_hooks";
import type { Integration } from "@shapes/protocol";
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
import type { CheckContext } from "./integration.js";
import { UpstreamCheckError, UpstreamCheckErrors } from "./upstream-check-error.js";
import type { VisitSources } from "./visit-sources.js";

export interface RunChecksDeps {
  settings: AttestSettings;
  limiter: RateLimitStore;
  now: () => number;
  /** Times each upstream check (the latency histogram). */
  metrics?: { observeUpstream: UpstreamObserver };
}

/**
 * Who asks: the client IP (`remoteip`, the `ip` claim), where decoy hostnames may come from,
 * and the browser's User-Agent and page URL (for decoys that synthesize a visit).
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

/** Each requested entry's key and rateLimit, with the code a refusal is reported under. */
function rateLimitedKeys(checks: WebProtectionChecks): RateLimitedKey[] {
  return checks.map(({ unit, request }) => ({
    code: unit.descriptor.codes.tokenCheck,
    key: `${unit.descriptor.embedPrefix}${request.key}`,
    limitPerMinute: request.entry.rateLimit,
  }));
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
  const context: CheckContext = {
    ip,
    hosts,
    visit: {
      ...(userAgent !== undefined ? { userAgent } : {}),
      ...(pageUrl !== undefined ? { pageUrl } : {}),
    },
    settings,
    now,
  };
  const runs = checks.map(({ unit, request }) =>
    timed(unit.descriptor.name as Integration, () => unit.check(request, context), observe),
  );
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
