import type { webcrypto } from "node:crypto";
import { ApproovConfigError } from "./errors.js";

/** One account key: `kid` names it for rotation; `secret` is the raw key bytes. */
export interface ApproovKey {
  kid?: string;
  secret: Uint8Array;
}

/** Longest kid accepted in configuration; token kids are only compared with these. */
const MAX_KID_LENGTH = 256;

/**
 * The keys of one kind (signing or encryption), imported once. A token's `kid` header
 * picks its key; it is never used to try several keys.
 */
export class KeyRing<Key = webcrypto.CryptoKey> {
  readonly #byKid = new Map<string, Key>();
  /** Used for tokens without kid: the key configured without kid, else the first. */
  readonly #default: Key;

  constructor(keys: readonly ApproovKey[], importKey: (secret: Uint8Array) => Key, what: string) {
    if (!Array.isArray(keys) || keys.length === 0) {
      throw new ApproovConfigError("bad-option", `${what} must be a non-empty list`);
    }
    let withoutKid: Key | undefined;
    let first: Key | undefined;
    for (const entry of keys) {
      if (typeof entry !== "object" || entry === null) {
        throw new ApproovConfigError("bad-option", `${what} entries must be { kid?, secret }`);
      }
      const { kid } = entry;
      if (
        kid !== undefined &&
        (typeof kid !== "string" || kid === "" || kid.length > MAX_KID_LENGTH)
      ) {
        throw new ApproovConfigError("bad-option", `${what}: a kid must be a non-empty string`);
      }
      const key = importKey(entry.secret);
      first ??= key;
      if (kid === undefined) {
        if (withoutKid) {
          throw new ApproovConfigError("bad-option", `${what}: only one key may have no kid`);
        }
        withoutKid = key;
      } else {
        if (this.#byKid.has(kid)) {
          throw new ApproovConfigError("bad-option", `${what}: kid "${kid}" is listed twice`);
        }
        this.#byKid.set(kid, key);
      }
    }
    this.#default = (withoutKid ?? first) as Key;
  }

  /**
   * The key for a token header's `kid`: no kid -> the default key. When no configured key
   * has a kid (the single `secret` shorthand), a token kid is ignored, as the public
   * backend quickstarts do. Otherwise an unknown kid -> undefined ("unknown-key").
   */
  select(kid: string | undefined): Key | undefined {
    if (kid === undefined || this.#byKid.size === 0) return this.#default;
    return this.#byKid.get(kid);
  }
}
