import type { ErrorCode } from "@shapes/protocol";
import { AttestError } from "../http/attest-error.js";
import {
  type RateLimitEntry,
  type RateLimitStore,
  SharedStoreUnavailableError,
} from "./shared-store.js";

export type { RateLimitEntry, RateLimitStore };

interface Bucket {
  /** The limit the bucket was filled for: a changed limit starts a fresh bucket. */
  limit: number;
  tokens: number;
  updatedMs: number;
}

/**
 * Requests per minute per key (a site key's `rateLimit`), in this process: a token bucket
 * holding up to `limit` requests and refilled at `limit` per 60 s, so at most `limit`
 * pass in any minute after a quiet spell, and a steady client gets one every 60/limit s.
 * Keys are configured site keys only; the map is bounded anyway (oldest forgotten first).
 */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #now: () => number;
  readonly #maxKeys: number;

  constructor(now: () => number = Date.now, maxKeys = 10_000) {
    this.#now = now;
    this.#maxKeys = maxKeys;
  }

  /** The key's bucket refilled up to now (created when new or its limit changed). */
  #refilled(key: string, limitPerMinute: number, now: number): Bucket {
    let bucket = this.#buckets.get(key);
    if (!bucket || bucket.limit !== limitPerMinute) {
      bucket = { limit: limitPerMinute, tokens: limitPerMinute, updatedMs: now };
    } else {
      const elapsed = Math.max(0, now - bucket.updatedMs);
      bucket.tokens = Math.min(limitPerMinute, bucket.tokens + (elapsed * limitPerMinute) / 60_000);
      bucket.updatedMs = now;
    }
    // Re-inserted: the map's order is least recently used first.
    this.#buckets.delete(key);
    if (this.#buckets.size >= this.#maxKeys) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest !== undefined) this.#buckets.delete(oldest);
    }
    this.#buckets.set(key, bucket);
    return bucket;
  }

  /**
   * Counts one request against every entry's key, all or nothing: when any key is over its
   * limit nothing is counted (a refused request spends no other key's allowance). Answers,
   * per entry, undefined when it may pass, else whole seconds until it may.
   */
  takeAll(entries: readonly RateLimitEntry[]): (number | undefined)[] {
    const now = this.#now();
    const limited = entries.map((entry) =>
      entry.limitPerMinute > 0
        ? { entry, bucket: this.#refilled(entry.key, entry.limitPerMinute, now) }
        : undefined,
    );
    const waits = limited.map((item) => {
      if (!item || item.bucket.tokens >= 1) return undefined;
      const refillPerMs = item.entry.limitPerMinute / 60_000;
      return Math.max(1, Math.ceil((1 - item.bucket.tokens) / refillPerMs / 1000));
    });
    if (waits.every((wait) => wait === undefined)) {
      for (const item of limited) if (item) item.bucket.tokens -= 1;
    }
    return waits;
  }
}

/** An integration key's limit, with the code its refusal is reported under. */
export interface RateLimitedKey extends RateLimitEntry {
  code: ErrorCode;
}

/** Seconds a client is asked to wait when the shared store cannot count its request. */
export const STORE_RETRY_AFTER_SECONDS = 1;

/**
 * Counts a request for each integration key it uses, before the upstream checks. Any key
 * over its limit: 429 listing every such key's token-check code (the seed's error table
 * has no dedicated rate-limit code; the token check is the step that is refused), with
 * the longest wait as Retry-After. Keys without a limit are not counted, so a request
 * that uses none needs no store. A store that cannot count (Redis down) fails closed for
 * limited keys: 503 under the same codes, Retry-After 1.
 */
export async function enforceRateLimits(
  limiter: RateLimitStore,
  keys: readonly RateLimitedKey[],
): Promise<void> {
  const limited = keys.filter((key) => key.limitPerMinute > 0);
  if (limited.length === 0) return;
  let waits: (number | undefined)[];
  try {
    waits = await limiter.takeAll(limited);
  } catch (error) {
    if (!(error instanceof SharedStoreUnavailableError)) throw error;
    const errors: Partial<Record<ErrorCode, string>> = {};
    for (const key of limited) errors[key.code] = "rate limit check unavailable, try again";
    throw new AttestError(503, errors, STORE_RETRY_AFTER_SECONDS);
  }
  const errors: Partial<Record<ErrorCode, string>> = {};
  let retryAfter = 0;
  limited.forEach((key, i) => {
    const wait = waits[i];
    if (wait === undefined) return;
    errors[key.code] = `rate limit of ${key.limitPerMinute} requests per minute exceeded`;
    retryAfter = Math.max(retryAfter, wait);
  });
  if (retryAfter > 0) throw new AttestError(429, errors, retryAfter);
}
