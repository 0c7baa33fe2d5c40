import { hkdfSync } from "node:crypto";

/** HKDF `info` labels: one per purpose, so no derived key can stand in for another. */
export const KEY_PURPOSES = {
  dpopNonce: "approov dpop nonce v1",
  refreshToken: "approov refresh token v1",
} as const;

export type KeyPurpose = keyof typeof KEY_PURPOSES;

/**
 * A 32-byte key for one purpose: HKDF-SHA256(account secret, salt "", info). Every
 * attest instance sharing the account derives the same keys, so nonces and refresh
 * tokens issued by one are accepted by the others.
 */
export function deriveKey(accountSecretBase64: string, purpose: KeyPurpose): Uint8Array {
  const secret = Buffer.from(accountSecretBase64, "base64");
  return new Uint8Array(hkdfSync("sha256", secret, new Uint8Array(0), KEY_PURPOSES[purpose], 32));
}
