import { webcrypto } from "node:crypto";

export type CryptoKey = webcrypto.CryptoKey;
type KeyUsage = webcrypto.KeyUsage;

/**
 * WebCrypto keys for jose's JWE tokens, imported once per account version (or per process
 * for decoys). JWS tokens and refresh tokens use node:crypto keys (hs256-jws.ts,
 * dir-a256gcm-jwe.ts).
 * jose takes raw bytes or a secret KeyObject too, but then imports them on every call
 * (crypto.subtle.importKey per token); a CryptoKey is used as it is.
 */

/** An AES-GCM key: `encrypt` for A256GCMKW key wrapping (JWE tokens); 32 bytes, AES-256. */
export function importAesGcmKey(bytes: Uint8Array, usages: KeyUsage[]): Promise<CryptoKey> {
  return webcrypto.subtle.importKey("raw", bytes, { name: "AES-GCM" }, false, usages);
}
