import type { ActivityBucket, OutcomeCounts, UpstreamBucket } from "@shapes/protocol";
import { histogramQuantile } from "../histogram-quantile.js";
import { type FieldCounts, SEPARATOR } from "./bucket-fields.js";

const OUTCOMES = new Set(["valid", "invalid", "error"]);
const RESULTS = new Set(["passed", "failed", "error"]);
const round1 = (value: number) => Math.round(value * 10) / 10;
const emptyOutcomes = (): OutcomeCounts => ({ valid: 0, invalid: 0, error: 0 });

export function emptyBucket(startMs: number): ActivityBucket {
  return {
    start: new Date(startMs).toISOString(),
    requests: 0,
    valid: 0,
    invalid: 0,
    error: 0,
    rateLimited: 0,
    refusedBy: {},
    byEndpoint: {},
    byIntegration: {},
    byApi: {},
    errors: {},
    upstream: {},
    billing: { tokens: 0, tokensByApi: {}, freshChecks: 0, refreshes: 0, upstreamChecks: 0 },
  };
}

/** Sets an own property: a label like "__proto__" stays an ordinary entry of the answer. */
function setOwn<T>(map: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}

function bump(map: Record<string, number>, key: string, n: number): void {
  setOwn(map, key, (Object.hasOwn(map, key) ? (map[key] as number) : 0) + n);
}

function outcomesOf(map: Record<string, OutcomeCounts>, key: string): OutcomeCounts {
  if (!Object.hasOwn(map, key)) setOwn(map, key, emptyOutcomes());
  return map[key] as OutcomeCounts;
}

/**
 * A bucket's fields as the admin API answers them. Fields that do not parse (a damaged
 * store, a field of a newer version) are skipped, never trusted.
 */
export function bucketView(
  startMs: number,
  fields: FieldCounts,
  latencyBounds: readonly number[],
): ActivityBucket {
  const bucket = emptyBucket(startMs);
  const histograms = new Map<string, number[]>();
  const results = new Map<string, Record<string, number>>();
  for (const [name, n] of fields) {
    if (!Number.isSafeInteger(n) || n <= 0) continue;
    const [kind, ...rest] = name.split(SEPARATOR);
    const last = rest.at(-1) ?? "";
    const label = rest.slice(0, -1).join(SEPARATOR);
    switch (kind) {
      case "o":
        if (rest.length === 1 && OUTCOMES.has(last)) {
          bucket[last as keyof OutcomeCounts] += n;
          bucket.requests += n;
        }
        break;
      case "e":
      case "i":
      case "a": {
        if (rest.length < 2 || !OUTCOMES.has(last)) break;
        const map =
          kind === "e" ? bucket.byEndpoint : kind === "i" ? bucket.byIntegration : bucket.byApi;
        outcomesOf(map, label)[last as keyof OutcomeCounts] += n;
        break;
      }
      case "c":
        if (rest.length === 1) bump(bucket.errors, last, n);
        break;
      case "l":
        if (rest.length === 0) bucket.rateLimited += n;
        break;
      case "r":
        if (rest.length === 1) bump(bucket.refusedBy, last, n);
        break;
      case "u": {
        const slot = Number(last);
        if (rest.length !== 2 || !Number.isInteger(slot) || slot < 0 || slot > latencyBounds.length)
          break;
        const counts = histograms.get(label) ?? new Array<number>(latencyBounds.length + 1).fill(0);
        counts[slot] = (counts[slot] ?? 0) + n;
        histograms.set(label, counts);
        break;
      }
      case "v":
        if (rest.length === 2 && RESULTS.has(last)) {
          const byResult = results.get(label) ?? {};
          byResult[last] = (byResult[last] ?? 0) + n;
          results.set(label, byResult);
        }
        break;
    }
  }
  for (const integration of new Set([...histograms.keys(), ...results.keys()])) {
    const counts = histograms.get(integration) ?? [];
    const byResult = results.get(integration) ?? {};
    const quantileMs = (q: number) => {
      const seconds = histogramQuantile(q, latencyBounds, counts);
      return seconds === undefined ? null : round1(seconds * 1000);
    };
    const upstream: UpstreamBucket = {
      count: counts.reduce((sum, n) => sum + n, 0),
      passed: byResult.passed ?? 0,
      failed: byResult.failed ?? 0,
      error: byResult.error ?? 0,
      p50Ms: quantileMs(0.5),
      p95Ms: quantileMs(0.95),
    };
    setOwn(bucket.upstream, integration, upstream);
    bucket.billing.upstreamChecks += upstream.count;
  }
  for (const [api, counts] of Object.entries(bucket.byApi)) {
    const tokens = counts.valid + counts.invalid;
    if (tokens > 0) bump(bucket.billing.tokensByApi, api, tokens);
    bucket.billing.tokens += tokens;
  }
  for (const [endpoint, counts] of Object.entries(bucket.byEndpoint)) {
    // A check that ended in an error answer issued nothing: not billed.
    const n = counts.valid + counts.invalid;
    if (endpoint === "refresh") bucket.billing.refreshes += n;
    else bucket.billing.freshChecks += n;
  }
  return bucket;
}
