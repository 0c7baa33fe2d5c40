import { webcrypto } from "node:crypto";

export type CryptoKey = webcrypto.CryptoKey;
type KeyUsage = webcrypto.KeyUsage;

/**
 * WebCrypto keys for jose, imported once per account version (or per process for decoys).
 * jose takes raw bytes or a secret KeyObject too, but then imports them on every call
 * (crypto.subtle.importKey per token); a CryptoKey is used as it is.
 */

/** An HS256 signing key (JWS tokens). */
export function importHs256Key(bytes: Uint8Array): Promise<CryptoKey> {
  return webcrypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
}

/**
 * An AES-GCM key: `encrypt` for A256GCMKW key wrapping (JWE tokens), `encrypt` + `decrypt`
 * for `dir` + A256GCM (refresh tokens). 32 bytes: AES-256, as both algorithms require.
 */
export function importAesGcmKey(bytes: Uint8Array, usages: KeyUsage[]): Promise<CryptoKey> {
  return webcrypto.subtle.importKey("raw", bytes, { name: "AES-GCM" }, false, usages);
}
