import { ApproovConfigError } from "./errors.js";

/** HS256 keys shorter than the hash output weaken the MAC (RFC 7518 3.2). */
export const MIN_SECRET_BYTES = 32;

// Standard alphabet only, optional padding: the format of the account secret the
// public backend quickstarts read from APPROOV_SECRET.
const STANDARD_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Decodes the account secret (standard base64) into the HS256 key bytes.
 * Surrounding whitespace (a trailing newline from a .env file) is ignored.
 */
export function decodeApproovSecret(base64: string): Uint8Array {
  if (typeof base64 !== "string" || base64.trim() === "") {
    throw new ApproovConfigError("secret-missing", "the Approov secret is empty");
  }
  const text = base64.trim();
  const unpadded = text.replace(/=+$/, "");
  const badPadding = text !== unpadded && text.length % 4 !== 0;
  if (!STANDARD_BASE64.test(text) || badPadding || unpadded.length % 4 === 1) {
    throw new ApproovConfigError(
      "secret-not-base64",
      "the Approov secret is not standard base64 (A-Z a-z 0-9 + / with = padding)",
    );
  }
  const bytes = new Uint8Array(Buffer.from(text, "base64"));
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new ApproovConfigError(
      "secret-too-short",
      `the Approov secret decodes to ${bytes.length} bytes; at least ${MIN_SECRET_BYTES} are required`,
    );
  }
  return bytes;
}
