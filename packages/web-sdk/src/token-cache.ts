import { base64urlToText } from "./base64url.js";

/** Most cached tokens per session: one per (api, payload) in use, so a handful in practice. */
export const MAX_CACHED_TOKENS = 64;

/** A token is not served once this close to its expiry... */
export const MIN_REFRESH_MARGIN_MS = 2000;
/** ...or within this fraction of its lifetime of it, whichever is larger. */
export const REFRESH_MARGIN_FRACTION = 0.1;

interface Entry {
  token: string;
  /** Local time (ms) from which the token is no longer served. */
  staleAt: number;
}

/**
 * Local time from which a token should no longer be served. The lifetime is the
 * token's own `exp - iat`, counted from when the request was sent, so a browser
 * clock that disagrees with the service's does not matter. A token without
 * readable `iat`/`exp` (an encrypted one) is never served from the cache.
 */
export function staleTime(token: string, requestedAt: number): number {
  let lifetimeMs: number;
  try {
    const claims = JSON.parse(base64urlToText(token.split(".")[1] ?? "")) as Record<
      string,
      unknown
    >;
    const { exp, iat } = claims;
    if (typeof exp !== "number" || typeof iat !== "number") return requestedAt;
    lifetimeMs = (exp - iat) * 1000;
  } catch {
    return requestedAt;
  }
  const margin = Math.max(MIN_REFRESH_MARGIN_MS, lifetimeMs * REFRESH_MARGIN_FRACTION);
  return requestedAt + lifetimeMs - margin;
}

/**
 * Approov tokens of one session by (api, payload hash), and the requests under
 * way for them so that concurrent callers share one request.
 */
export class TokenCache {
  readonly #entries = new Map<string, Entry>();
  readonly #pending = new Map<string, Promise<string>>();
  /** Bumped by clear(): requests started before it do not fill the cache. */
  #generation = 0;

  get(key: string, now: number): string | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (now < entry.staleAt) return entry.token;
    this.#entries.delete(key);
    return undefined;
  }

  set(key: string, token: string, requestedAt: number): void {
    const staleAt = staleTime(token, requestedAt);
    this.#entries.delete(key);
    if (staleAt <= requestedAt) return;
    if (this.#entries.size >= MAX_CACHED_TOKENS) {
      // Maps iterate in insertion order: drop the oldest.
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(key, { token, staleAt });
  }

  /** Forgets every token (a new human-check result makes them all outdated). */
  clear(): void {
    this.#entries.clear();
    this.#pending.clear();
    this.#generation++;
  }

  /**
   * Runs `request` for `key` unless one is already under way, and caches what it
   * returns. Every concurrent caller for the key gets the same promise.
   */
  share(
    key: string,
    request: () => Promise<{ token: string; requestedAt: number }>,
  ): Promise<string> {
    const pending = this.#pending.get(key);
    if (pending) return pending;
    const generation = this.#generation;
    const promise = request().then(
      ({ token, requestedAt }) => {
        if (this.#generation === generation) {
          this.#pending.delete(key);
          this.set(key, token, requestedAt);
        }
        return token;
      },
      (error: unknown) => {
        if (this.#generation === generation) this.#pending.delete(key);
        throw error;
      },
    );
    this.#pending.set(key, promise);
    return promise;
  }
}
