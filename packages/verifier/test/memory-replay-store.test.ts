import { describe, expect, it } from "vitest";
import { ApproovConfigError, MemoryReplayStore } from "../src/index.js";

function clockedStore(maxEntries?: number) {
  const clock = { ms: 1_000_000 };
  const store = new MemoryReplayStore({
    now: () => clock.ms,
    ...(maxEntries ? { maxEntries } : {}),
  });
  return { clock, store };
}

describe("MemoryReplayStore", () => {
  it("answers true the first time and false while the key is remembered", async () => {
    const { clock, store } = clockedStore();
    expect(await store.checkAndRemember("a", clock.ms + 5000)).toBe(true);
    expect(await store.checkAndRemember("a", clock.ms + 5000)).toBe(false);
    expect(await store.checkAndRemember("b", clock.ms + 5000)).toBe(true);
    clock.ms += 5000;
    // Still remembered at exactly its expiry.
    expect(await store.checkAndRemember("a", clock.ms + 5000)).toBe(false);
    clock.ms += 1;
    expect(await store.checkAndRemember("a", clock.ms + 5000)).toBe(true);
    expect(await store.checkAndRemember("a", clock.ms + 5000)).toBe(false);
  });

  it("does not store a key whose expiry has passed", async () => {
    const { clock, store } = clockedStore();
    expect(await store.checkAndRemember("old", clock.ms - 1)).toBe(true);
    expect(store.size).toBe(0);
  });

  it("fails closed when full of unexpired keys, and recovers as they expire", async () => {
    const { clock, store } = clockedStore(3);
    for (const key of ["a", "b", "c"]) {
      expect(await store.checkAndRemember(key, clock.ms + 10_000)).toBe(true);
    }
    // Full: a new key is treated as seen, and the old ones are not evicted.
    expect(await store.checkAndRemember("d", clock.ms + 10_000)).toBe(false);
    expect(await store.checkAndRemember("a", clock.ms + 10_000)).toBe(false);
    expect(store.size).toBe(3);
    clock.ms += 11_000;
    expect(await store.checkAndRemember("d", clock.ms + 10_000)).toBe(true);
    expect(store.size).toBe(1);
  });

  it("drops expired keys first, whatever order they came in", async () => {
    const { clock, store } = clockedStore(3);
    await store.checkAndRemember("long", clock.ms + 60_000);
    await store.checkAndRemember("short-1", clock.ms + 1_000);
    await store.checkAndRemember("short-2", clock.ms + 2_000);
    clock.ms += 3_000;
    expect(await store.checkAndRemember("new-1", clock.ms + 60_000)).toBe(true);
    expect(await store.checkAndRemember("new-2", clock.ms + 60_000)).toBe(true);
    expect(store.size).toBe(3);
    expect(await store.checkAndRemember("long", clock.ms + 60_000)).toBe(false);
  });

  it("keeps a key re-added after expiry when its old second is swept", async () => {
    const { clock, store } = clockedStore();
    await store.checkAndRemember("k", clock.ms + 1_000);
    clock.ms += 1_001;
    // Expired but not yet swept (same second bucket): re-added with a later expiry.
    expect(await store.checkAndRemember("k", clock.ms + 60_000)).toBe(true);
    clock.ms += 5_000;
    expect(await store.checkAndRemember("other", clock.ms + 1_000)).toBe(true);
    expect(await store.checkAndRemember("k", clock.ms + 60_000)).toBe(false);
  });

  it("sweeps correctly after a long idle time and after the clock goes back", async () => {
    const { clock, store } = clockedStore(2);
    await store.checkAndRemember("a", clock.ms + 1_000);
    await store.checkAndRemember("b", clock.ms + 30 * 86_400_000);
    clock.ms += 365 * 86_400_000;
    expect(await store.checkAndRemember("c", clock.ms + 1_000)).toBe(true);
    expect(store.size).toBe(1);
    clock.ms -= 10_000;
    expect(await store.checkAndRemember("d", clock.ms + 1_000)).toBe(true);
    clock.ms += 20_000;
    expect(await store.checkAndRemember("e", clock.ms + 1_000)).toBe(true);
    expect(await store.checkAndRemember("f", clock.ms + 1_000)).toBe(true);
    expect(store.size).toBe(2);
  });

  it("holds at most maxEntries under a flood of fresh keys", async () => {
    const { clock, store } = clockedStore(1000);
    let accepted = 0;
    for (let i = 0; i < 5000; i++) {
      clock.ms += 10;
      if (await store.checkAndRemember(`k${i}`, clock.ms + 20_000)) accepted++;
      expect(store.size).toBeLessThanOrEqual(1000);
    }
    // 20 s windows at 100 keys/s: 2000 live keys wanted, so some were refused (fail closed).
    expect(accepted).toBeGreaterThan(1000);
    expect(accepted).toBeLessThan(5000);
  });

  it("refuses bad options and arguments", async () => {
    expect(() => new MemoryReplayStore({ maxEntries: 0 })).toThrow(ApproovConfigError);
    expect(() => new MemoryReplayStore({ maxEntries: 1.5 })).toThrow(ApproovConfigError);
    const store = new MemoryReplayStore();
    await expect(store.checkAndRemember("a", Number.NaN)).rejects.toBeInstanceOf(
      ApproovConfigError,
    );
  });
});
