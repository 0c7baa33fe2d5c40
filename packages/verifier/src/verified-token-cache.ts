import type { ApproovTokenClaims } from "@shapes/protocol";
import { ApproovConfigError } from "./errors.js";
import { sha256Base64url } from "./sha256-base64url.js";

export const DEFAULT_TOKEN_CACHE_MAX_ENTRIES = 10_000;
/** Sum of the cached tokens' lengths: the claims held are at most about this big. */
export const DEFAULT_TOKEN_CACHE_MAX_CHARS = 8 * 1024 * 1024;

export interface TokenCacheOptions {
  /** Most tokens remembered; default 10 000. */
  maxEntries?: number;
  /** Most token characters remembered in total (bounds the claims' memory); default 8 Mi. */
  maxChars?: number;
}

interface Entry {
  claims: ApproovTokenClaims;
  /** Valid while the clock (whole seconds) is below this: exp + clock tolerance. */
  validUntil: number;
  chars: number;
}

/**
 * The cache key of a token: SHA-256 of the whole token, base64url. Every byte counts
 * (header, payload and signature), and the cache never holds a usable bearer token, so a
 * heap dump does not leak one; the key is 43 characters whatever the token's length.
 */
export const tokenCacheKey: (token: string) => string = sha256Base64url;

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new ApproovConfigError("bad-option", `${name} must be a positive whole number`);
  }
  return value;
}

/**
 * Remembers tokens whose signature (or decryption) and claims were verified, until
 * their `exp`. Bounded by entries and by characters; the oldest insertions go first
 * (FIFO: a hit costs no reordering, and tokens are short-lived anyway). Only successes
 * are stored, and channel, binding and DPoP checks always run after it, per request.
 */
export class VerifiedTokenCache {
  readonly #maxEntries: number;
  readonly #maxChars: number;
  readonly #entries = new Map<string, Entry>();
  #chars = 0;

  constructor(options: TokenCacheOptions = {}) {
    this.#maxEntries = positiveInteger(
      options.maxEntries ?? DEFAULT_TOKEN_CACHE_MAX_ENTRIES,
      "cache.maxEntries",
    );
    this.#maxChars = positiveInteger(
      options.maxChars ?? DEFAULT_TOKEN_CACHE_MAX_CHARS,
      "cache.maxChars",
    );
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The claims of a still-valid verified token, or undefined (an expired entry is dropped). */
  get(key: string, nowSeconds: number): ApproovTokenClaims | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (nowSeconds < entry.validUntil) return entry.claims;
    this.#delete(key, entry);
    return undefined;
  }

  set(key: string, claims: ApproovTokenClaims, validUntil: number, chars: number): void {
    if (chars > this.#maxChars) return;
    const previous = this.#entries.get(key);
    if (previous) this.#delete(key, previous);
    while (
      this.#entries.size >= this.#maxEntries ||
      (this.#entries.size > 0 && this.#chars + chars > this.#maxChars)
    ) {
      const oldest = this.#entries.entries().next().value as [string, Entry];
      this.#delete(oldest[0], oldest[1]);
    }
    this.#entries.set(key, { claims, validUntil, chars });
    this.#chars += chars;
  }

  #delete(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#chars -= entry.chars;
  }
}
