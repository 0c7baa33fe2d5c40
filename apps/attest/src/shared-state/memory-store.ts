import { MemoryReplayStore } from "@shapes/verifier";
import { RateLimiter } from "./rate-limit.js";
import type { RateLimitEntry, SharedStore, SharedStoreHealth } from "./shared-store.js";

export interface MemoryStoreOptions {
  /** Most proof ids the replay cache holds (REPLAY_CACHE_MAX); full, it fails closed. */
  replayCacheMax: number;
  now?: () => number;
}

/**
 * The embedded store (no REDIS_URL): this process's own replay cache and rate-limit
 * buckets, nothing shared. The default of `npm start`; one instance only.
 */
export class MemorySharedStore implements SharedStore {
  readonly kind = "memory" as const;
  readonly #replay: MemoryReplayStore;
  readonly #limiter: RateLimiter;

  constructor(options: MemoryStoreOptions) {
    const now = options.now ?? Date.now;
    this.#replay = new MemoryReplayStore({ maxEntries: options.replayCacheMax, now });
    this.#limiter = new RateLimiter(now);
  }

  checkAndRemember(key: string, expiresAtMs: number): Promise<boolean> {
    return this.#replay.checkAndRemember(key, expiresAtMs);
  }

  takeAll(entries: readonly RateLimitEntry[]): Promise<(number | undefined)[]> {
    return Promise.resolve(this.#limiter.takeAll(entries));
  }

  health(): Promise<SharedStoreHealth> {
    return Promise.resolve("up");
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
