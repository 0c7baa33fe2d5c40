import { createHmac, randomBytes } from "node:crypto";

const ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `length` characters of [A-Za-z0-9] read from a big number (no modulo bias worth noting). */
function base62(bytes: Uint8Array, length: number): string {
  let value = BigInt(`0x${Buffer.from(bytes).toString("hex")}`);
  let text = "";
  for (let i = 0; i < length; i++) {
    text += ALPHANUMERIC[Number(value % 62n)];
    value /= 62n;
  }
  return text;
}

/**
 * Derives stable visitor ids: HMAC-SHA256 over (public key, browser id) with a key that
 * lives as long as the process, so ids are stable per browser profile and origin while
 * the sandbox runs, and cannot be computed from the browser id alone.
 */
export class VisitorIds {
  readonly #key: Uint8Array;

  constructor(key: Uint8Array = randomBytes(32)) {
    this.#key = key;
  }

  /** 20 characters of [A-Za-z0-9], like Fingerprint's visitor ids. */
  visitorId(publicKey: string, browserId: string): string {
    // Lengths are fixed-format, but a separator keeps ("ab","c") apart from ("a","bc").
    const digest = createHmac("sha256", this.#key).update(`${publicKey}\n${browserId}`).digest();
    return base62(digest, 20);
  }
}

/** `<ms timestamp>.<6 random [A-Za-z0-9]>`, Fingerprint's request id format. */
export function newRequestId(now: number): string {
  let suffix = "";
  while (suffix.length < 6) {
    for (const byte of randomBytes(8)) {
      // 248 = 4 * 62: dropping the rest keeps every character equally likely.
      if (byte < 248 && suffix.length < 6) suffix += ALPHANUMERIC[byte % 62];
    }
  }
  return `${now}.${suffix}`;
}

export const VISITOR_ID_FORMAT = /^[A-Za-z0-9]{20}$/;
