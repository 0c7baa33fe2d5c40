import { webcrypto } from "node:crypto";
import { MIN_SECRET_BYTES } from "./decode-secret.js";
import { ApproovConfigError } from "./errors.js";

/**
 * Imports the account secret once as a non-extractable HMAC-SHA256 verify key.
 * jose would otherwise re-import raw bytes on every call; a CryptoKey is used as is.
 */
export function importHs256VerifyKey(secret: Uint8Array): Promise<webcrypto.CryptoKey> {
  if (!(secret instanceof Uint8Array) || secret.length < MIN_SECRET_BYTES) {
    throw new ApproovConfigError(
      "secret-too-short",
      `the Approov secret must be at least ${MIN_SECRET_BYTES} bytes`,
    );
  }
  const key = webcrypto.subtle.importKey(
    "raw",
    // A copy, so later changes to the caller's buffer cannot change the key.
    new Uint8Array(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["verify"],
  );
  // Callers await this promise; this only keeps a failure from being reported as unhandled
  // before the first verification.
  key.catch(() => undefined);
  return key;
}
