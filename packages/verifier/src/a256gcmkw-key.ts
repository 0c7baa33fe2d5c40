import { webcrypto } from "node:crypto";
import { ENCRYPTION_SECRET_BYTES } from "./decode-secret.js";
import { ApproovConfigError } from "./errors.js";

/**
 * Imports an encryption secret once as a non-extractable AES-256-GCM key: the key-wrapping
 * key of A256GCMKW JWEs (jose unwraps the content key with AES-GCM "decrypt").
 */
export function importA256GcmKwKey(secret: Uint8Array): Promise<webcrypto.CryptoKey> {
  if (!(secret instanceof Uint8Array) || secret.length !== ENCRYPTION_SECRET_BYTES) {
    throw new ApproovConfigError(
      "secret-wrong-size",
      `an Approov encryption secret must be exactly ${ENCRYPTION_SECRET_BYTES} bytes`,
    );
  }
  const key = webcrypto.subtle.importKey(
    "raw",
    // A copy, so later changes to the caller's buffer cannot change the key.
    new Uint8Array(secret),
    { name: "AES-GCM" },
    false,
    ["decrypt"],
  );
  // Awaited by every verification; this only avoids an "unhandled rejection" before the first.
  key.catch(() => undefined);
  return key;
}
