import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ActivityBuckets } from "../src/observability/activity-buckets/activity-buckets.js";
import type { ActivityDecision } from "../src/observability/activity-buckets/bucket-fields.js";
import {
  ACTIVITY_FILE,
  DAMAGED_ACTIVITY_FILE,
  LocalBucketStore,
} from "../src/observability/activity-buckets/local-bucket-store.js";
import { flushSecondsFromEnv } from "../src/observability/activity-buckets/open-activity-buckets.js";
import { bucketStart, keptStarts } from "../src/observability/activity-buckets/periods.js";
import { histogramQuantile } from "../src/observability/histogram-quantile.js";
import type { LogLine } from "../src/observability/log-line.js";
import { UPSTREAM_BUCKETS_SECONDS } from "../src/observability/metrics.js";

/**
 * The activity buckets in process, over a real data directory: what is counted, how it
 * is kept (atomically replaced file, bounded retention), and what a failed write does.
 */

let dir: string;
let nowMs: number;
let lines: LogLine[];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "attest-activity-"));
  nowMs = Date.UTC(2025, 11, 31, 23, 59, 30);
  lines = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const buckets = (store: LocalBucketStore) =>
  new ActivityBuckets(store, {
    latencyBounds: UPSTREAM_BUCKETS_SECONDS,
    flushIntervalMs: 60_000,
    now: () => nowMs,
    logWriter: (line) => lines.push(line),
  });

const decision = (changes: Partial<ActivityDecision>): ActivityDecision => ({
  endpoint: "attest",
  outcome: "valid",
  codes: [],
  integration: "hcaptcha",
  apis: ["localhost"],
  rateLimited: false,
  refusedBy: [],
  ...changes,
});

/** 3 valid (one on two APIs), 2 decoys, 1 error, 1 refusal, 1 refresh; 4 upstream checks. */
function record(activity: ActivityBuckets): void {
  activity.recordDecision(nowMs, decision({}));
  activity.recordDecision(nowMs, decision({ apis: ["localhost", "api.example"] }));
  activity.recordDecision(nowMs, decision({ endpoint: "refresh" }));
  activity.recordDecision(nowMs, decision({ outcome: "invalid" }));
  activity.recordDecision(nowMs, decision({ outcome: "invalid", endpoint: "token" }));
  activity.recordDecision(
    nowMs,
    decision({
      outcome: "error",
      codes: ["aprv-api-not-found"],
      integration: "none",
      apis: ["other"],
    }),
  );
  activity.recordDecision(
    nowMs,
    decision({
      outcome: "error",
      codes: ["hcap-rate-limited"],
      rateLimited: true,
      refusedBy: ["hcaptcha"],
    }),
  );
  for (const seconds of [0.003, 0.02, 0.02, 7]) {
    activity.recordUpstream(nowMs, "hcaptcha", seconds === 7 ? "error" : "passed", seconds);
  }
}

describe("activity periods", () => {
  it("keeps 120 minutes, 48 hours, 62 days and 24 calendar months, the current one last", () => {
    const at = Date.UTC(2025, 0, 15, 10, 30, 5);
    expect(bucketStart("month", at)).toBe(Date.UTC(2025, 0, 1));
    const months = keptStarts("month", at);
    expect(months).toHaveLength(24);
    expect(new Date(months[0] as number).toISOString()).toBe("2023-02-01T00:00:00.000Z");
    expect(months.at(-1)).toBe(Date.UTC(2025, 0, 1));
    expect(keptStarts("minute", at)).toHaveLength(120);
    expect(keptStarts("hour", at).at(-1)).toBe(Date.UTC(2025, 0, 15, 10));
    const days = keptStarts("day", at);
    expect(days).toHaveLength(62);
    expect(days.at(-1)).toBe(Date.UTC(2025, 0, 15));
  });

  it("reads ACTIVITY_FLUSH_SECONDS (1 to 300, default 5)", () => {
    expect(flushSecondsFromEnv({})).toBe(5);
    expect(flushSecondsFromEnv({ ACTIVITY_FLUSH_SECONDS: "2" })).toBe(2);
    for (const bad of ["0", "301", "1.5", "soon"]) {
      expect(() => flushSecondsFromEnv({ ACTIVITY_FLUSH_SECONDS: bad })).toThrow(
        /ACTIVITY_FLUSH_SECONDS must be a whole number of seconds from 1 to 300/,
      );
    }
  });
});

describe("activity buckets in the data directory", () => {
  it("counts outcomes, APIs, endpoints, codes, refusals, latency and billing, and reads them back after reopening", async () => {
    const first = buckets(await LocalBucketStore.open(dir, () => {}));
    record(first);
    // Not flushed yet: this instance's own reads include its pending counts.
    const before = await first.read("hour");
    await first.stop();
    const reopened = buckets(await LocalBucketStore.open(dir, () => {}));
    const hour = await reopened.read("hour");
    expect(hour.store).toBe("file");
    expect(hour.buckets).toHaveLength(48);
    expect(hour.total).toEqual(before.total);
    const current = hour.buckets.at(-1);
    expect(current?.start).toBe("2025-12-31T23:00:00.000Z");
    expect(current).toMatchObject({
      requests: 7,
      valid: 3,
      invalid: 2,
      error: 2,
      rateLimited: 1,
      refusedBy: { hcaptcha: 1 },
      errors: { "aprv-api-not-found": 1, "hcap-rate-limited": 1 },
      byEndpoint: {
        attest: { valid: 2, invalid: 1, error: 2 },
        token: { valid: 0, invalid: 1, error: 0 },
        refresh: { valid: 1, invalid: 0, error: 0 },
      },
      byIntegration: {
        hcaptcha: { valid: 3, invalid: 2, error: 1 },
        none: { valid: 0, invalid: 0, error: 1 },
      },
      byApi: {
        localhost: { valid: 3, invalid: 2, error: 1 },
        "api.example": { valid: 1, invalid: 0, error: 0 },
        other: { valid: 0, invalid: 0, error: 1 },
      },
      // Tokens: one per API of each valid or decoy answer; checks: per request, errors not billed.
      billing: {
        tokens: 6,
        tokensByApi: { localhost: 5, "api.example": 1 },
        freshChecks: 4,
        refreshes: 1,
        upstreamChecks: 4,
      },
    });
    // The quantiles are Prometheus's histogram_quantile over the same buckets.
    const counts = new Array(UPSTREAM_BUCKETS_SECONDS.length + 1).fill(0);
    counts[0] = 1;
    counts[2] = 2;
    counts[10] = 1;
    const ms = (q: number) =>
      Math.round((histogramQuantile(q, UPSTREAM_BUCKETS_SECONDS, counts) as number) * 10000) / 10;
    expect(current?.upstream.hcaptcha).toEqual({
      count: 4,
      passed: 3,
      failed: 0,
      error: 1,
      p50Ms: ms(0.5),
      p95Ms: ms(0.95),
    });
    expect(hour.buckets.slice(0, -1).every((bucket) => bucket.requests === 0)).toBe(true);
    // The same counts in the minute, day and month buckets.
    for (const period of ["minute", "day", "month"] as const) {
      expect((await reopened.read(period)).total.requests).toBe(7);
    }
    expect(lines).toEqual([]);
  });

  it("drops buckets past their retention from the file", async () => {
    const activity = buckets(await LocalBucketStore.open(dir, () => {}));
    record(activity);
    await activity.flush();
    nowMs += 3 * 60 * 60_000; // three hours on: the minutes are gone, the hour is kept
    activity.recordDecision(nowMs, decision({}));
    await activity.flush();
    const file = JSON.parse(await readFile(join(dir, ACTIVITY_FILE), "utf8"));
    expect(Object.keys(file.buckets.minute)).toHaveLength(1);
    expect(Object.keys(file.buckets.hour)).toHaveLength(2);
    expect((await activity.read("minute")).total.requests).toBe(1);
    expect((await activity.read("hour")).total.requests).toBe(8);
    nowMs += 49 * 60 * 60_000;
    activity.recordDecision(nowMs, decision({}));
    await activity.flush();
    expect((await activity.read("hour")).total.requests).toBe(1);
    expect((await activity.read("day")).total.requests).toBe(9);
  });

  it("keeps the counts of a failed write for the next flush, counting them once", async () => {
    const activity = buckets(await LocalBucketStore.open(dir, () => {}));
    record(activity);
    // The directory replaced by a file: the atomic write cannot create its temp file.
    await rm(dir, { recursive: true });
    await writeFile(dir, "not a directory");
    await expect(activity.flush()).rejects.toThrow(/cannot write activity\.json/);
    activity.recordDecision(nowMs, decision({}));
    await rm(dir);
    await activity.flush();
    const reopened = buckets(await LocalBucketStore.open(dir, () => {}));
    expect((await reopened.read("hour")).total.requests).toBe(8);
  });

  it("moves a damaged file aside and counts again", async () => {
    await writeFile(join(dir, ACTIVITY_FILE), "{ not json");
    const reasons: string[] = [];
    const activity = buckets(await LocalBucketStore.open(dir, (reason) => reasons.push(reason)));
    expect(reasons).toHaveLength(1);
    expect(await readdir(dir)).toEqual([DAMAGED_ACTIVITY_FILE]);
    expect((await activity.read("day")).total.requests).toBe(0);
    // Counts that are not whole positive numbers are never trusted.
    await writeFile(
      join(dir, ACTIVITY_FILE),
      JSON.stringify({
        version: 1,
        buckets: {
          hour: {
            [String(Date.UTC(2025, 11, 31, 23))]: { "o|valid": -4, "o|error": 2, "o|invalid": "9" },
          },
        },
      }),
    );
    const read = await buckets(await LocalBucketStore.open(dir, () => {})).read("hour");
    expect(read.total).toMatchObject({ requests: 2, valid: 0, invalid: 0, error: 2 });
  });
});
