import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** Why a proof's nonce was refused (each answered `aprv-invalid-nonce`). */
export type NonceProblem = "missing" | "not issued" | "expired";

const TIME_BYTES = 8;
const RANDOM_BYTES = 16;
const MAC_BYTES = 16;
/** base64url lengths of the 24-byte body and the 16-byte MAC: anything else is not ours. */
const NONCE_FORMAT = /^[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{22}$/;

/**
 * Stateless RFC 9449 server nonces:
 * `b64url(issue time ms, 8 bytes big-endian || 16 random bytes) "." b64url(MAC)`,
 * MAC = first 16 bytes of HMAC-SHA256(nonce key, the ASCII of the first part).
 * No store: any instance holding the account's nonce key can check any nonce.
 */
export class DpopNonces {
  /** The key, or where to read the current account's (it follows account changes). */
  readonly #key: Uint8Array | (() => Uint8Array);
  readonly #lifetimeMs: number;
  readonly #now: () => number;

  constructor(key: Uint8Array | (() => Uint8Array), lifetimeSeconds: number, now: () => number) {
    this.#key = key;
    this.#lifetimeMs = lifetimeSeconds * 1000;
    this.#now = now;
  }

  #mac(body: string): Buffer {
    const key = typeof this.#key === "function" ? this.#key() : this.#key;
    return createHmac("sha256", key).update(body, "ascii").digest().subarray(0, MAC_BYTES);
  }

  /** A fresh nonce, stamped with the current time. */
  issue(): string {
    const bytes = Buffer.alloc(TIME_BYTES + RANDOM_BYTES);
    bytes.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(this.#now()))), 0);
    randomBytes(RANDOM_BYTES).copy(bytes, TIME_BYTES);
    const body = bytes.toString("base64url");
    return `${body}.${this.#mac(body).toString("base64url")}`;
  }

  /** undefined when `nonce` was issued by us within the lifetime, else the problem. */
  check(nonce: unknown): NonceProblem | undefined {
    if (nonce === undefined) return "missing";
    if (typeof nonce !== "string" || !NONCE_FORMAT.test(nonce)) return "not issued";
    const [body = "", mac = ""] = nonce.split(".");
    const given = Buffer.from(mac, "base64url");
    // The round trip refuses non-canonical encodings (other trailing bits, same bytes).
    if (given.toString("base64url") !== mac) return "not issued";
    if (!timingSafeEqual(given, this.#mac(body))) return "not issued";
    const issuedMs = Number(Buffer.from(body, "base64url").readBigUInt64BE(0));
    const age = this.#now() - issuedMs;
    // A nonce from the future comes from an instance with a skewed clock: same limit.
    if (Math.abs(age) > this.#lifetimeMs) return "expired";
    return undefined;
  }
}
