import { ApproovConfigError } from "./errors.js";

/** HS256 keys shorter than the hash output weaken the MAC (RFC 7518 3.2). */
export const MIN_SECRET_BYTES = 32;
/** A256GCMKW wraps with AES-256: the key is exactly 32 bytes (RFC 7518 4.7). */
export const ENCRYPTION_SECRET_BYTES = 32;

// Standard alphabet only, optional padding: the format of the account secret the
// public backend quickstarts read from APPROOV_SECRET.
const STANDARD_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Strict standard base64 to bytes; `name` only goes into messages, never the value. */
function decodeStandardBase64(base64: string, name: string): Uint8Array {
  if (typeof base64 !== "string" || base64.trim() === "") {
    throw new ApproovConfigError("secret-missing", `the ${name} is empty`);
  }
  const text = base64.trim();
  const unpadded = text.replace(/=+$/, "");
  const badPadding = text !== unpadded && text.length % 4 !== 0;
  if (!STANDARD_BASE64.test(text) || badPadding || unpadded.length % 4 === 1) {
    throw new ApproovConfigError(
      "secret-not-base64",
      `the ${name} is not standard base64 (A-Z a-z 0-9 + / with = padding)`,
    );
  }
  return new Uint8Array(Buffer.from(text, "base64"));
}

/**
 * Decodes the account secret (standard base64) into the HS256 key bytes.
 * Surrounding whitespace (a trailing newline from a .env file) is ignored.
 */
export function decodeApproovSecret(base64: string): Uint8Array {
  const bytes = decodeStandardBase64(base64, "Approov secret");
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new ApproovConfigError(
      "secret-too-short",
      `the Approov secret decodes to ${bytes.length} bytes; at least ${MIN_SECRET_BYTES} are required`,
    );
  }
  return bytes;
}

/**
 * Decodes the account's encryption secret (APPROOV_ENCRYPTION_SECRET, standard base64) into
 * the 32-byte A256GCMKW key of JWE Approov tokens. It is a separate key from the HS256 secret.
 */
export function decodeApproovEncryptionSecret(base64: string): Uint8Array {
  const bytes = decodeStandardBase64(base64, "Approov encryption secret");
  if (bytes.length !== ENCRYPTION_SECRET_BYTES) {
    throw new ApproovConfigError(
      "secret-wrong-size",
      `the Approov encryption secret decodes to ${bytes.length} bytes; exactly ${ENCRYPTION_SECRET_BYTES} are required`,
    );
  }
  return bytes;
}
