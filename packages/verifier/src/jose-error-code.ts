import { errors } from "jose";
import type { ApproovTokenErrorCode } from "./errors.js";

/**
 * Maps a jose verification failure to our stable code, or undefined when the error
 * is not about the token (a programming or key problem, which must not become a 401).
 */
export function joseErrorCode(error: unknown): ApproovTokenErrorCode | undefined {
  if (error instanceof errors.JOSEAlgNotAllowed) return "bad-algorithm";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "bad-signature";
  // A wrong key, or a tampered header, encrypted key, iv, ciphertext or tag: GCM's tag fails.
  if (error instanceof errors.JWEDecryptionFailed) return "decryption-failed";
  if (error instanceof errors.JWTExpired) return "expired";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "exp" && error.reason === "missing") return "missing-exp";
    if (error.reason === "check_failed" && (error.claim === "nbf" || error.claim === "iat")) {
      return "not-yet-valid";
    }
    return "bad-claims";
  }
  // JWSInvalid, JWEInvalid, JWTInvalid (claims set not a JSON object), JOSENotSupported (crit), ...
  if (error instanceof errors.JOSEError) return "malformed";
  return undefined;
}
