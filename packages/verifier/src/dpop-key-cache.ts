import type { KeyObject } from "node:crypto";
import type { CryptoKey } from "jose";
import { ApproovConfigError } from "./errors.js";

/**
 * Proof keys remembered per verifier by default: about 8 KB of memory each for P-256, so
 * about 8 MB when full; a session reuses one key, so this covers 1 000 concurrently busy
 * sessions before a key is imported again.
 */
export const DEFAULT_DPOP_KEY_CACHE_SIZE = 1_000;
/**
 * Total length of the cache keys (alg + canonical JWK) held: P-256 entries are ~130
 * characters, so the entry count binds first for them; 16 384-bit RSA keys (~2 800
 * characters, when RSA is allowed) are held by at most ~1 500 entries.
 */
export const DPOP_KEY_CACHE_MAX_CHARS = 4 * 1024 * 1024;

/**
 * What a proof key costs to make: the imported key (a node:crypto KeyObject for ECDSA,
 * jose importJWK for the others) and its thumbprint.
 */
export interface CachedProofKey {
  readonly key: CryptoKey | KeyObject;
  readonly jkt: string;
}

/** Checks the `keyCacheSize` option: a whole number, 0 turning the cache off. */
export function checkKeyCacheSize(value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new ApproovConfigError(
      "bad-option",
      "keyCacheSize must be a whole number (0 turns the cache off)",
    );
  }
  return value;
}

/**
 * LRU map from `alg + " " + canonical JWK` to the imported key and its jkt, so a session
 * that signs every request with one key pays the key import and the thumbprint once.
 * Bounded by entries and by the total key text. It holds public keys only, never decides
 * anything: a hit only skips the import, never the signature check.
 */
export class DpopKeyCache {
  readonly #maxEntries: number;
  readonly #maxChars: number;
  readonly #entries = new Map<string, CachedProofKey>();
  #chars = 0;

  constructor(maxEntries: number, maxChars = DPOP_KEY_CACHE_MAX_CHARS) {
    this.#maxEntries = checkKeyCacheSize(maxEntries);
    this.#maxChars = maxChars;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(id: string): CachedProofKey | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    // Most recently used goes last: active sessions stay, a flood of new keys evicts idle ones.
    this.#entries.delete(id);
    this.#entries.set(id, entry);
    return entry;
  }

  set(id: string, entry: CachedProofKey): void {
    if (this.#maxEntries === 0 || id.length > this.#maxChars) return;
    if (this.#entries.has(id)) this.#delete(id);
    while (
      this.#entries.size >= this.#maxEntries ||
      (this.#entries.size > 0 && this.#chars + id.length > this.#maxChars)
    ) {
      this.#delete(this.#entries.keys().next().value as string);
    }
    this.#entries.set(id, entry);
    this.#chars += id.length;
  }

  #delete(id: string): void {
    this.#entries.delete(id);
    this.#chars -= id.length;
  }
}
