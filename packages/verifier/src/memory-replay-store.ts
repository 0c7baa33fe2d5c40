import { ApproovConfigError } from "./errors.js";
import type { ReplayStore } from "./replay-store.js";

export const DEFAULT_REPLAY_STORE_MAX_ENTRIES = 100_000;
/** Expiries are grouped per second; an entry may be dropped up to a second late, never early. */
const BUCKET_MS = 1000;

export interface MemoryReplayStoreOptions {
  /** Most keys held at once; default 100 000. */
  maxEntries?: number;
  /** Clock in ms; default Date.now. */
  now?: () => number;
}

/**
 * In-process ReplayStore with a hard size bound.
 *
 * Expired keys are dropped first (oldest expiry first). An unexpired key is never evicted:
 * when the store is full of unexpired keys it FAILS CLOSED and answers "seen" for every
 * new key until some expire. Evicting instead would let an attacker flush a proof out
 * with junk and then replay it; failing closed turns that into a short denial of service
 * for new proofs, which the size bound makes visible and which clients retry after.
 *
 * Each call costs O(1) amortised: keys sit in per-second expiry buckets and only the
 * buckets that have passed since the previous call are visited.
 */
export class MemoryReplayStore implements ReplayStore {
  readonly #maxEntries: number;
  readonly #now: () => number;
  /** key -> expiry in ms. */
  readonly #expiries = new Map<string, number>();
  /** floor(expiry / BUCKET_MS) -> keys with that expiry (may hold keys since re-added). */
  readonly #buckets = new Map<number, string[]>();
  /** Every bucket below this index has been dropped. */
  #nextBucket = Number.NEGATIVE_INFINITY;

  constructor(options: MemoryReplayStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? DEFAULT_REPLAY_STORE_MAX_ENTRIES;
    if (!Number.isSafeInteger(maxEntries) || maxEntries <= 0) {
      throw new ApproovConfigError("bad-option", "maxEntries must be a positive whole number");
    }
    this.#maxEntries = maxEntries;
    this.#now = options.now ?? Date.now;
  }

  /** Keys currently held (expired ones may linger until the next call passes their second). */
  get size(): number {
    return this.#expiries.size;
  }

  async checkAndRemember(key: string, expiresAtMs: number): Promise<boolean> {
    if (typeof key !== "string" || !Number.isFinite(expiresAtMs)) {
      throw new ApproovConfigError(
        "bad-option",
        "a replay key must be a string with a finite expiry",
      );
    }
    const now = this.#now();
    this.#dropExpired(now);

    const known = this.#expiries.get(key);
    // Still remembered at exactly its expiry: verifyDpopProof accepts a proof up to then.
    if (known !== undefined && known >= now) return false;
    // Nothing to remember for a key whose window already closed.
    if (expiresAtMs < now) return true;
    if (known === undefined && this.#expiries.size >= this.#maxEntries) return false;

    this.#expiries.set(key, expiresAtMs);
    const bucket = Math.floor(expiresAtMs / BUCKET_MS);
    const keys = this.#buckets.get(bucket);
    if (keys) keys.push(key);
    else this.#buckets.set(bucket, [key]);
    // Only when the clock went backwards can a new bucket lie below the swept range.
    if (bucket < this.#nextBucket) this.#nextBucket = bucket;
    return true;
  }

  /** Drops every bucket whose whole second lies before `now`. */
  #dropExpired(now: number): void {
    const nowBucket = Math.floor(now / BUCKET_MS);
    if (this.#buckets.size === 0) {
      this.#nextBucket = nowBucket;
      return;
    }
    const span = nowBucket - this.#nextBucket;
    if (span <= 0) return;
    if (span <= this.#buckets.size) {
      for (let bucket = this.#nextBucket; bucket < nowBucket; bucket++) {
        this.#dropBucket(bucket, now);
      }
    } else {
      // After a long idle time, walking the held buckets is cheaper than walking the seconds.
      for (const bucket of this.#buckets.keys()) {
        if (bucket < nowBucket) this.#dropBucket(bucket, now);
      }
    }
    this.#nextBucket = nowBucket;
  }

  #dropBucket(bucket: number, now: number): void {
    const keys = this.#buckets.get(bucket);
    if (!keys) return;
    for (const key of keys) {
      const expiry = this.#expiries.get(key);
      // A key re-added since then has a later expiry and stays.
      if (expiry !== undefined && expiry < now) this.#expiries.delete(key);
    }
    this.#buckets.delete(bucket);
  }
}
