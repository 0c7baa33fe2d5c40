import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketLifetimeMs, bucketStart } from "../src/observability/activity-buckets/periods.js";
import { bucketsOf, sendTraffic, siteKeyOf } from "./helpers/activity-traffic.js";
import { type RunningRedis, startRedis } from "./helpers/redis-server.js";
import {
  type Instance,
  instanceEnv,
  startInstance,
  stopInstance,
  within,
} from "./helpers/scale-out.js";
import { type RunningAttest, startAttest } from "./helpers/start-attest.js";
import { type RunningSandbox, startSandbox } from "./helpers/start-sandbox.js";

/**
 * Two real attest processes on one real redis-server add into the same activity buckets:
 * either one shows both's counts, and they outlive a kill -9 of an instance.
 */

let redis: RunningRedis;
let sandbox: RunningSandbox;
let a: Instance;
let b: Instance;
let restarted: RunningAttest | undefined;
let env: Record<string, string>;

beforeAll(async () => {
  [redis, sandbox] = await Promise.all([startRedis(), startSandbox()]);
  env = { ...instanceEnv(redis, sandbox), ACTIVITY_FLUSH_SECONDS: "1" };
  a = await startInstance(env);
  b = await startInstance(env);
}, 60_000);

afterAll(async () => {
  await restarted?.stop("SIGKILL");
  await Promise.all([stopInstance(a), stopInstance(b)]);
  await Promise.all([redis?.dispose(), sandbox?.stop()]);
});

describe("activity buckets on Redis (two instances)", () => {
  it("make one picture of both instances' traffic, which survives kill -9 of one", async () => {
    const siteKey = await siteKeyOf(a.url, a.dir);
    await sendTraffic(a.url, siteKey, { valid: 3, decoys: 0, errors: 1 });
    await sendTraffic(b.url, siteKey, { valid: 0, decoys: 2, errors: 1 });
    const both = {
      requests: 7,
      valid: 3,
      invalid: 2,
      error: 2,
      errors: { "aprv-api-not-found": 2 },
    };
    // Each instance flushes within a second; then either one reads the other's counts.
    await within(10_000, async () => (await bucketsOf(a.url, a.dir)).total.requests === 7);
    await within(10_000, async () => (await bucketsOf(b.url, b.dir)).total.requests === 7);
    const fromA = await bucketsOf(a.url, a.dir, "day");
    const fromB = await bucketsOf(b.url, b.dir, "day");
    expect(fromA.store).toBe("redis");
    expect(fromA.total).toMatchObject(both);
    expect(fromB.total).toEqual(fromA.total);

    await a.stop("SIGKILL");
    restarted = await startAttest(a.dir, 30_000, env);
    const after = await bucketsOf(restarted.url, a.dir, "month");
    expect(after.total).toMatchObject(both);
    expect(after.total.upstream.hcaptcha?.count).toBe(5);
  }, 30_000);

  it("keeps one expiring hash per bucket under the key prefix", async () => {
    const client = new Redis(redis.url);
    try {
      const now = Date.now();
      for (const period of ["minute", "hour", "day", "month"] as const) {
        const key = `approov:activity:${period}:${bucketStart(period, now)}`;
        expect(await client.hget(key, "o|valid")).toBe("3");
        const expiresAt = await client.pexpiretime(key);
        expect(expiresAt).toBe(bucketStart(period, now) + bucketLifetimeMs(period));
      }
    } finally {
      client.disconnect();
    }
  }, 30_000);

  it("keep an instance's counts through a Redis outage and add them once it is back", async () => {
    const siteKey = await siteKeyOf(b.url, b.dir);
    await redis.stop();
    await sendTraffic(b.url, siteKey, { valid: 2, decoys: 1, errors: 0 });
    const refused = await fetch(`${b.url}/admin/v1/metrics/buckets?period=hour`, {
      headers: { authorization: `Bearer ${b.adminKey}` },
    });
    expect(refused.status).toBe(503);
    expect(await refused.json()).toEqual({ error: "the activity store is unavailable; try again" });
    await within(10_000, async () =>
      b.output().includes("activity not saved; retried on the next flush"),
    );
    // Back empty (no persistence): only what B could not flush comes back, once.
    await redis.restart();
    await within(10_000, async () => {
      const res = await fetch(`${restarted?.url}/admin/v1/metrics/buckets?period=day`, {
        headers: { authorization: `Bearer ${a.adminKey}` },
      });
      return (
        res.status === 200 &&
        ((await res.json()) as { total: { requests: number } }).total.requests === 3
      );
    });
    const day = await bucketsOf(b.url, b.dir, "day");
    expect(day.total).toMatchObject({ requests: 3, valid: 2, invalid: 1, error: 0 });
  }, 30_000);
});
