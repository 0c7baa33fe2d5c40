/** A response token issued by `POST /1/execute`, as siteverify needs to judge it. */
export interface IssuedToken {
  siteKey: string;
  /** The registrable hostname of the page it was issued for. */
  hostname: string;
  /** Issue time, ms since the epoch. */
  issuedAt: number;
  respKey: string;
  /** Set by the first siteverify call: tokens verify once. */
  seen: boolean;
}

export interface TokenStoreOptions {
  /** Upper bound on remembered tokens; the oldest go first when full. */
  maxEntries: number;
  /**
   * How long a token is remembered after issue. Longer than its validity so that a
   * late check answers expired-input-response rather than invalid-input-response.
   */
  retainMs: number;
  now: () => number;
}

/**
 * Issued tokens by response string, bounded. A Map iterates in insertion order, which is
 * issue order, so the head is always the oldest (and so expired first) entry: eviction
 * pops from the head in O(1) per entry. Generic so the reCAPTCHA stand-in reuses it.
 */
export class TokenStore<T extends { issuedAt: number } = IssuedToken> {
  readonly #tokens = new Map<string, T>();

  constructor(private readonly options: TokenStoreOptions) {
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1) {
      throw new RangeError("maxEntries must be a positive integer");
    }
  }

  get size(): number {
    return this.#tokens.size;
  }

  add(response: string, token: T): void {
    this.#evict();
    this.#tokens.set(response, token);
  }

  get(response: string): T | undefined {
    return this.#tokens.get(response);
  }

  #evict(): void {
    const now = this.options.now();
    for (const [response, token] of this.#tokens) {
      const full = this.#tokens.size >= this.options.maxEntries;
      if (!full && now - token.issuedAt < this.options.retainMs) break;
      this.#tokens.delete(response);
    }
  }
}
