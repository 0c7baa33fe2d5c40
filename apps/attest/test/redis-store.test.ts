import { ConfigError } from "@shapes/node-service";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDefaultAccount } from "../src/account/account.js";
import { AccountHolder, UNSYNCED_SEED_GRACE_MS } from "../src/account/account-holder.js";
import { createApp } from "../src/http/app.js";
import type { LogLine } from "../src/observability/log-line.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";
import { AccountSync } from "../src/shared-state/account-sync.js";
import { MemorySharedStore } from "../src/shared-state/memory-store.js";
import { RateLimiter } from "../src/shared-state/rate-limit.js";
import { redisSettingsFromEnv } from "../src/shared-state/redis-settings.js";
import { RedisSharedStore } from "../src/shared-state/redis-store.js";
import {
  type RateLimitEntry,
  SharedAccountInvalidError,
  SharedStoreUnavailableError,
} from "../src/shared-state/shared-store.js";
import { freePort, type RunningRedis, startRedis } from "./helpers/redis-server.js";
import { within } from "./helpers/scale-out.js";
import { adminCall, TEST_ADMIN_KEY } from "./helpers/test-app.js";

/** The Redis store on its own, against a real redis-server: each behaviour, each fault. */

let redis: RunningRedis;
let raw: Redis;
const stores: RedisSharedStore[] = [];
let prefixes = 0;

beforeAll(async () => {
  redis = await startRedis();
  raw = new Redis(redis.url);
});
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  raw?.disconnect();
  await redis?.dispose();
});

interface Made {
  store: RedisSharedStore;
  lines: LogLine[];
  prefix: string;
}

/** A store with its own key prefix (tests stay apart), connected. */
async function makeStore(
  now: () => number = Date.now,
  options: { url?: string; replayWindowMs?: number; prefix?: string } = {},
): Promise<Made> {
  const lines: LogLine[] = [];
  const prefix = options.prefix ?? `t${++prefixes}:`;
  const store = new RedisSharedStore({
    url: options.url ?? redis.url,
    keyPrefix: prefix,
    replayWindowMs: options.replayWindowMs ?? 300_000,
    now,
    logWriter: (line) => lines.push(line),
  });
  stores.push(store);
  if (options.url === undefined) expect(await store.waitUntilReady(5000)).toBe(true);
  return { store, lines, prefix };
}

/** Waits until this file's redis-server has been up for `seconds`. */
async function upFor(seconds: number): Promise<void> {
  await within(10_000, async () => {
    const info = await raw.info("server");
    return Number(/uptime_in_seconds:(\d+)/.exec(info)?.[1]) >= seconds;
  });
}

describe("RedisSharedStore", () => {
  it("replay: first use passes, any later one is refused, remembered until the proof expires", async () => {
    // Proofs made now, acceptable for 60 s.
    const { store, prefix } = await makeStore(Date.now, { replayWindowMs: 60_000 });
    const expiresAt = Date.now() + 60_000;
    expect(await store.checkAndRemember("proof-a", expiresAt)).toBe(true);
    expect(await store.checkAndRemember("proof-a", expiresAt)).toBe(false);
    expect(await store.checkAndRemember("proof-b", expiresAt)).toBe(true);
    const ttl = await raw.pttl(`${prefix}replay:proof-a`);
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    // Another instance (another connection, same prefix) sees the same memory...
    const { store: peer } = await makeStore(Date.now, { prefix, replayWindowMs: 60_000 });
    expect(await peer.checkAndRemember("proof-a", expiresAt)).toBe(false);
    // ...and another REDIS_KEY_PREFIX is another world.
    const { store: stranger } = await makeStore(Date.now, { replayWindowMs: 60_000 });
    expect(await stranger.checkAndRemember("proof-a", expiresAt)).toBe(true);
  });

  it("replay: on a Redis that started within the window, proofs made since its start pass, earlier ones are refused", async () => {
    await upFor(2);
    const { store, prefix } = await makeStore(Date.now, { replayWindowMs: 300_000 });
    const [info, [seconds]] = await Promise.all([raw.info("server"), raw.time()]);
    const uptime = Number(/uptime_in_seconds:(\d+)/.exec(info)?.[1]);
    // This file's redis-server started moments ago: a restart, as far as the store can tell.
    expect(uptime).toBeLessThan(300);
    const nowS = Number(seconds);
    const startedMs = Math.min(nowS, nowS + 1 - uptime) * 1000;
    // A proof made after Redis started, before the store's first use: it passes (it was
    // refused as "replayed" when the epoch was the first use).
    expect(await store.checkAndRemember("made-after-start", startedMs + 300_000)).toBe(true);
    const epoch = Number(await raw.get(`${prefix}replay-epoch`));
    // The script read Redis's clock a moment later: the same second or the next.
    expect([startedMs, startedMs + 1000]).toContain(epoch);
    // Made before Redis started: its use may have been forgotten with the restart, so "seen".
    expect(await store.checkAndRemember("made-before-start", epoch - 1000 + 300_000)).toBe(false);
  });

  it("replay: on a Redis up for longer than the window, the epoch is the store's first use", async () => {
    // A 1 s window: this file's redis-server has been up longer than that, so keys that are
    // missing went without a restart (a FLUSHALL, an eviction) at an unknown moment.
    await upFor(2);
    const { store, prefix } = await makeStore(Date.now, { replayWindowMs: 1000 });
    const now = Date.now();
    expect(await store.checkAndRemember("fresh", now + 1000)).toBe(true);
    const epoch = Number(await raw.get(`${prefix}replay-epoch`));
    expect(epoch % 1000).toBe(0);
    expect(Math.abs(epoch - now)).toBeLessThan(2000);
    expect(await store.checkAndRemember("older", epoch - 10_000 + 1000)).toBe(false);
  });

  it("rate limits: the memory limiter's answers, call for call, all or nothing, shared", async () => {
    let now = Date.UTC(2025, 0, 1);
    const clock = () => now;
    const { store } = await makeStore(clock);
    const memory = new RateLimiter(clock);
    const sequence: { advanceMs: number; entries: RateLimitEntry[] }[] = [];
    const a = (limit: number) => ({ key: "hcaptcha:a", limitPerMinute: limit });
    const b = (limit: number) => ({ key: "recaptcha:b", limitPerMinute: limit });
    for (let i = 0; i < 40; i++) {
      sequence.push({ advanceMs: (i * 7919) % 9000, entries: i % 3 === 0 ? [a(5), b(2)] : [a(5)] });
    }
    // A changed limit starts a fresh bucket; 0 is never counted.
    sequence.push({ advanceMs: 0, entries: [a(7), { key: "free", limitPerMinute: 0 }] });
    for (let i = 0; i < 9; i++) sequence.push({ advanceMs: 100, entries: [a(7)] });
    const fromRedis: (number | undefined)[][] = [];
    const fromMemory: (number | undefined)[][] = [];
    for (const step of sequence) {
      now += step.advanceMs;
      fromRedis.push(await store.takeAll(step.entries));
      fromMemory.push(memory.takeAll(step.entries));
    }
    expect(fromRedis).toEqual(fromMemory);
    expect(fromRedis.flat().some((wait) => wait !== undefined)).toBe(true);
    expect(fromRedis.flat().some((wait) => wait === undefined)).toBe(true);
  });

  it("the account document: compare-and-set by revision, refused when another wrote first", async () => {
    const { store, prefix } = await makeStore();
    const account = createDefaultAccount();
    expect(await store.read()).toBeUndefined();
    expect(await store.compareAndSet(0, account)).toBe(true);
    expect(await store.compareAndSet(0, account)).toBe(false);
    expect(await store.read()).toEqual({ revision: 1, account });
    expect(await store.compareAndSet(1, { ...account, tokenLifetimeSeconds: 9 })).toBe(true);
    expect(await store.compareAndSet(1, account)).toBe(false);
    expect(JSON.parse((await raw.get(`${prefix}account`)) ?? "")).toMatchObject({
      revision: 2,
      account: { tokenLifetimeSeconds: 9 },
    });
    await raw.set(`${prefix}account`, "{not json");
    await expect(store.read()).rejects.toBeInstanceOf(SharedAccountInvalidError);
    // Nothing overwrites a document it cannot read.
    expect(await store.compareAndSet(0, account)).toBe(false);
    expect(await store.compareAndSet(2, account)).toBe(false);
  });

  it("announces changes to every subscriber", async () => {
    const { store } = await makeStore();
    const { store: other } = await makeStore();
    let heard = 0;
    other.onChange(() => {
      heard++;
    });
    // The subscriber connects on its own; announce until it hears (at most 2 s).
    const deadline = Date.now() + 2000;
    while (heard === 0 && Date.now() < deadline) {
      await store.announce(1);
      await new Promise((done) => setTimeout(done, 50));
    }
    expect(heard).toBeGreaterThan(0);
  });

  it("Redis unreachable: every call fails fast with SharedStoreUnavailableError, health is down", async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const { store, lines } = await makeStore(Date.now, { url });
    const started = Date.now();
    await expect(store.checkAndRemember("k", Date.now() + 1000)).rejects.toBeInstanceOf(
      SharedStoreUnavailableError,
    );
    await expect(store.takeAll([{ key: "x", limitPerMinute: 1 }])).rejects.toBeInstanceOf(
      SharedStoreUnavailableError,
    );
    await expect(store.read()).rejects.toBeInstanceOf(SharedStoreUnavailableError);
    expect(Date.now() - started).toBeLessThan(1000);
    // Unlimited keys need no Redis at all.
    expect(await store.takeAll([{ key: "x", limitPerMinute: 0 }])).toEqual([undefined]);
    expect(await store.health()).toBe("down");
    await new Promise((done) => setTimeout(done, 300));
    const warned = lines.filter((line) => line.msg === "redis unreachable");
    expect(warned).toHaveLength(1);
    expect(JSON.stringify(warned)).not.toContain("redis://");
  });
});

describe("the account holder on a shared document", () => {
  it("an invalid shared document: the last good account stays, admin changes answer 503", async () => {
    const { store, prefix } = await makeStore();
    const holder = new AccountHolder(createDefaultAccount(), { shared: store });
    expect(await holder.syncShared(true)).toBe("seeded");
    const app = createApp({
      account: holder,
      adminKey: TEST_ADMIN_KEY,
      settings: DEFAULT_SETTINGS,
      shared: store,
      logWriter: () => {},
      adminLog: () => {},
    });
    // Written by a newer attest, say: a field this version does not know.
    const stored = JSON.parse((await raw.get(`${prefix}account`)) ?? "");
    stored.revision = 2;
    stored.account.futureField = true;
    await raw.set(`${prefix}account`, JSON.stringify(stored));
    await expect(holder.syncShared()).rejects.toBeInstanceOf(SharedAccountInvalidError);
    expect(holder.revision).toBe(1);
    const res = await adminCall(app, "PUT", "/web/lifetimes", { tokenLifetimeSeconds: 10 });
    expect(res.status).toBe(503);
    expect(holder.get().account.tokenLifetimeSeconds).toBe(120);
    expect(JSON.parse((await raw.get(`${prefix}account`)) ?? "").account.futureField).toBe(true);
  });

  it("the poll skips an unchanged revision without parsing it; a changed one is parsed and applied", async () => {
    const { store, prefix } = await makeStore();
    const holder = new AccountHolder(createDefaultAccount(), { shared: store });
    const lines: LogLine[] = [];
    const sync = new AccountSync(holder, store, { logWriter: (line) => lines.push(line) });
    await sync.check(true);
    expect(holder.revision).toBe(1);
    const notSynced = () =>
      lines.filter((line) => line.msg.startsWith("shared account not synced"));

    // Revision 1 still, but a body no parser accepts: a poll that parsed it would fail.
    const unparseable = `{"revision":1,"account":${"{".repeat(64)} not JSON`;
    await raw.set(`${prefix}account`, unparseable);
    await expect(store.read()).rejects.toBeInstanceOf(SharedAccountInvalidError);
    await sync.check();
    expect(await holder.syncShared()).toBe("unchanged");
    expect(notSynced()).toEqual([]);
    expect(holder.get().account.tokenLifetimeSeconds).toBe(120);

    // Another revision: read whole, validated, adopted.
    const next = { ...createDefaultAccount(), tokenLifetimeSeconds: 77 };
    await raw.set(`${prefix}account`, JSON.stringify({ revision: 2, account: next }));
    await sync.check();
    expect(holder.revision).toBe(2);
    expect(holder.get().account).toEqual(next);
    // ...and the same unparseable body under a new revision is parsed, so refused.
    await raw.set(`${prefix}account`, unparseable.replace('"revision":1', '"revision":3'));
    await expect(holder.syncShared()).rejects.toBeInstanceOf(SharedAccountInvalidError);
    await sync.check();
    expect(notSynced()).toHaveLength(1);
    expect(holder.revision).toBe(2);
    sync.stop();
  });

  it("an instance that never synced waits before seeding an empty store; a synced one seeds at once", async () => {
    let now = Date.UTC(2025, 0, 1);
    const { store } = await makeStore(() => now);
    const newcomer = new AccountHolder(createDefaultAccount(), { shared: store, now: () => now });
    expect(await newcomer.syncShared()).toBe("unchanged");
    now += UNSYNCED_SEED_GRACE_MS - 1;
    expect(await newcomer.syncShared()).toBe("unchanged");
    expect(await store.read()).toBeUndefined();
    now += 1;
    expect(await newcomer.syncShared()).toBe("seeded");
    expect((await store.read())?.account).toEqual(newcomer.get().account);
  });

  it("the memory store: no Redis, /healthz as before", async () => {
    const memory = new MemorySharedStore({ replayCacheMax: 10 });
    expect(memory.kind).toBe("memory");
    expect("account" in memory).toBe(false);
    const app = createApp({
      account: createDefaultAccount(),
      settings: DEFAULT_SETTINGS,
      shared: memory,
      logWriter: () => {},
    });
    const res = await app.request("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });
});

describe("REDIS_URL and REDIS_KEY_PREFIX", () => {
  it("unset: memory; set: validated, the URL never echoed", () => {
    expect(redisSettingsFromEnv({})).toBeUndefined();
    expect(redisSettingsFromEnv({ REDIS_URL: "" })).toBeUndefined();
    expect(redisSettingsFromEnv({ REDIS_URL: "redis://redis:6379" })).toEqual({
      url: "redis://redis:6379",
      keyPrefix: "approov:",
    });
    expect(
      redisSettingsFromEnv({ REDIS_URL: "rediss://h:6380/2", REDIS_KEY_PREFIX: "a.b-c_d:" }),
    ).toEqual({
      url: "rediss://h:6380/2",
      keyPrefix: "a.b-c_d:",
    });
    for (const REDIS_URL of ["http://user:hunter2@h:6379", "hunter2", "redis://"]) {
      const error = (() => {
        try {
          redisSettingsFromEnv({ REDIS_URL });
        } catch (caught) {
          return caught as Error;
        }
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect(error?.message).toContain("REDIS_URL");
      expect(error?.message).not.toContain("hunter2");
    }
    expect(() => redisSettingsFromEnv({ REDIS_KEY_PREFIX: "has space" })).toThrow(
      /REDIS_KEY_PREFIX/,
    );
  });
});
