import type { ErrorCode } from "@shapes/protocol";
import { AttestError } from "./attest-error.js";

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

  /** Counts one request: undefined when it may pass, else whole seconds until one may. */
  take(key: string, limitPerMinute: number): number | undefined {
    if (limitPerMinute <= 0) return undefined;
    const now = this.#now();
    const refillPerMs = limitPerMinute / 60_000;
    let bucket = this.#buckets.get(key);
    if (!bucket || bucket.limit !== limitPerMinute) {
      bucket = { limit: limitPerMinute, tokens: limitPerMinute, updatedMs: now };
    } else {
      const elapsed = Math.max(0, now - bucket.updatedMs);
      bucket.tokens = Math.min(limitPerMinute, bucket.tokens + elapsed * refillPerMs);
      bucket.updatedMs = now;
    }
    // Re-inserted: the map's order is least recently used first.
    this.#buckets.delete(key);
    if (this.#buckets.size >= this.#maxKeys) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest !== undefined) this.#buckets.delete(oldest);
    }
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000));
  }
}

/**
 * Counts a request for an integration's key before its upstream check. Over the limit:
 * 429 with the integration's token-check code (the seed's error table has no dedicated
 * rate-limit code; the token check is the step that is refused).
 */
export function enforceRateLimit(
  limiter: RateLimiter,
  code: ErrorCode,
  embedKey: string,
  limitPerMinute: number,
): void {
  const retryAfter = limiter.take(embedKey, limitPerMinute);
  if (retryAfter === undefined) return;
  throw new AttestError(
    429,
    { [code]: `rate limit of ${limitPerMinute} requests per minute exceeded` },
    retryAfter,
  );
}
