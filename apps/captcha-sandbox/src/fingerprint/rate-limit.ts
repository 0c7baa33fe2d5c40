import { createHash } from "node:crypto";
import { BoundedMap } from "../bounded-map.js";

/**
 * Requests per second per secret key, in fixed one-second windows. Keys are kept as
 * SHA-256 digests so the table never holds a secret. Bounded: the least recently
 * limited keys are forgotten first.
 */
export class RateLimiter {
  readonly #windows: BoundedMap<string, { start: number; count: number }>;

  constructor(
    readonly perSecond: number,
    private readonly now: () => number,
    maxKeys = 10_000,
  ) {
    if (!Number.isInteger(perSecond) || perSecond < 1) {
      throw new RangeError("perSecond must be a positive integer");
    }
    this.#windows = new BoundedMap(maxKeys);
  }

  /** Counts one request; returns the seconds to wait when over the limit, else undefined. */
  take(secret: string): number | undefined {
    const key = createHash("sha256").update(secret).digest("base64url");
    const now = this.now();
    const window = this.#windows.get(key);
    if (window === undefined || now - window.start >= 1000) {
      this.#windows.set(key, { start: now, count: 1 });
      return undefined;
    }
    window.count += 1;
    if (window.count <= this.perSecond) return undefined;
    return Math.max(1, Math.ceil((window.start + 1000 - now) / 1000));
  }
}
