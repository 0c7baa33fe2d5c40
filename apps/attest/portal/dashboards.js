// The five dashboards of the seed: what each shows (period, tiles, charts) and how each
// chart's series are read from an activity bucket (GET metrics/buckets answers).

export const LIVE_REFRESH_MS = 10_000;
const COLORS = {
  valid: "#2e9e5b",
  invalid: "#f08c2e",
  error: "#d64545",
};
const OUTCOMES = [
  ["valid", "valid"],
  ["invalid", "decoy"],
  ["error", "error"],
];

/** @typedef {{ start: string, requests: number, valid: number, invalid: number, error: number, rateLimited: number, refusedBy: Record<string, number>, byEndpoint: Record<string, {valid:number, invalid:number, error:number}>, byIntegration: Record<string, {valid:number, invalid:number, error:number}>, byApi: Record<string, {valid:number, invalid:number, error:number}>, errors: Record<string, number>, upstream: Record<string, {count:number, passed:number, failed:number, error:number, p50Ms:number|null, p95Ms:number|null}>, billing: {tokens:number, tokensByApi: Record<string, number>, freshChecks:number, refreshes:number, upstreamChecks:number} }} Bucket */
/** @typedef {{ period: string, now: string, store: string, flushSeconds: number, buckets: Bucket[], total: Bucket }} BucketsAnswer */

const sumOutcomes = (counts) => counts.valid + counts.invalid + counts.error;
const keysOf = (buckets, pick) => {
  const keys = new Set();
  for (const bucket of buckets) for (const key of Object.keys(pick(bucket))) keys.add(key);
  return [...keys].sort();
};

/** Series by outcome: valid, decoy, error. */
const outcomeSeries = () => ({
  keys: () => OUTCOMES.map(([key]) => key),
  label: (key) => OUTCOMES.find(([k]) => k === key)?.[1] ?? key,
  value: (bucket, key) => bucket[key],
  color: (key) => COLORS[key],
});
/** Series per key of an OutcomeCounts map (requests of each key). */
const perKeySeries = (pick) => ({
  keys: (buckets) => keysOf(buckets, pick),
  value: (bucket, key) => {
    const counts = pick(bucket)[key];
    return counts ? sumOutcomes(counts) : 0;
  },
});
/** Series per key of a plain count map. */
const countSeries = (pick) => ({
  keys: (buckets) => keysOf(buckets, pick),
  value: (bucket, key) => pick(bucket)[key] ?? 0,
});
/** Upstream p50 / p95 per integration, in ms (no value where no check was made). */
const latencySeries = () => ({
  keys: (buckets) =>
    keysOf(buckets, (b) => b.upstream).flatMap((name) => [`${name} p50`, `${name} p95`]),
  value: (bucket, key) => {
    const [name, q] = key.split(" ");
    const upstream = bucket.upstream[name];
    if (!upstream) return null;
    return q === "p50" ? upstream.p50Ms : upstream.p95Ms;
  },
  total: (total, key) => latencySeries().value(total, key),
});

const ACTIVITY_CHARTS = [
  {
    id: "outcome",
    title: "Requests by outcome",
    type: "bar",
    stacked: true,
    series: outcomeSeries(),
  },
  {
    id: "integration",
    title: "Requests by integration",
    type: "bar",
    stacked: true,
    series: perKeySeries((b) => b.byIntegration),
  },
  {
    id: "api",
    title: "Requests by API",
    type: "bar",
    stacked: true,
    series: perKeySeries((b) => b.byApi),
  },
  {
    id: "endpoint",
    title: "Token vs refresh requests (by endpoint)",
    type: "bar",
    stacked: true,
    series: perKeySeries((b) => b.byEndpoint),
  },
  {
    id: "errors",
    title: "Errors by code",
    type: "bar",
    stacked: true,
    series: countSeries((b) => b.errors),
  },
  {
    id: "refusals",
    title: "Rate-limit refusals by integration",
    type: "bar",
    stacked: true,
    series: countSeries((b) => b.refusedBy),
  },
  {
    id: "latency",
    title: "Upstream check latency p50 / p95 (ms)",
    type: "line",
    stacked: false,
    series: latencySeries(),
  },
];

const BILLING_CHARTS = [
  {
    id: "tokens",
    title: "Tokens issued per day by API (valid and decoy)",
    type: "bar",
    stacked: true,
    series: countSeries((b) => b.billing.tokensByApi),
  },
  {
    id: "checks",
    title: "Fresh checks (/attest, /token) vs refreshes per day",
    type: "bar",
    stacked: true,
    series: {
      keys: () => ["fresh", "refresh"],
      value: (bucket, key) =>
        key === "fresh" ? bucket.billing.freshChecks : bucket.billing.refreshes,
    },
  },
  {
    id: "upstream",
    title: "Upstream checks per day by integration",
    type: "bar",
    stacked: true,
    series: {
      keys: (buckets) => keysOf(buckets, (b) => b.upstream),
      value: (bucket, key) => bucket.upstream[key]?.count ?? 0,
    },
  },
];
const BILLING_MONTH_CHART = {
  id: "tokens-month",
  title: "Tokens issued per month by API",
  type: "bar",
  stacked: true,
  series: countSeries((b) => b.billing.tokensByApi),
};

const ACTIVITY_TILES = [
  ["requests", "Requests", (t) => t.requests],
  ["valid", "Valid", (t) => t.valid],
  ["invalid", "Decoy (invalid)", (t) => t.invalid],
  ["error", "Errors", (t) => t.error],
  ["rateLimited", "Rate-limited", (t) => t.rateLimited],
  ["tokens", "Tokens issued", (t) => t.billing.tokens],
];
const BILLING_TILES = [
  ["tokens", "Tokens issued", (t) => t.billing.tokens],
  ["freshChecks", "Fresh checks", (t) => t.billing.freshChecks],
  ["refreshes", "Refreshes", (t) => t.billing.refreshes],
  ["upstreamChecks", "Upstream checks", (t) => t.billing.upstreamChecks],
];

export const DASHBOARDS = {
  live: {
    title: "Live: Web App Activity",
    subtitle:
      "Web protection requests per minute over the last hour; refreshes itself every 10 seconds.",
    period: "minute",
    last: 60,
    tiles: ACTIVITY_TILES,
    charts: ACTIVITY_CHARTS,
    refreshMs: LIVE_REFRESH_MS,
  },
  billing: {
    title: "Billing Usage",
    subtitle:
      "Tokens issued (valid and decoy, one per API), fresh checks vs refreshes, and upstream checks: per day over 62 days, per month over 24 months.",
    period: "day",
    tiles: BILLING_TILES,
    charts: BILLING_CHARTS,
    months: BILLING_MONTH_CHART,
  },
  hourly: {
    title: "Summary: Hourly Activity",
    subtitle: "Per hour over the last 48 hours.",
    period: "hour",
    tiles: ACTIVITY_TILES,
    charts: ACTIVITY_CHARTS,
  },
  daily: {
    title: "Summary: Daily Activity",
    subtitle: "Per day over the last 62 days.",
    period: "day",
    tiles: ACTIVITY_TILES,
    charts: ACTIVITY_CHARTS,
  },
  monthly: {
    title: "Summary: Monthly Activity",
    subtitle: "Per calendar month over the last 24 months.",
    period: "month",
    tiles: ACTIVITY_TILES,
    charts: ACTIVITY_CHARTS,
  },
};
