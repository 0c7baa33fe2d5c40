import { createHash } from "node:crypto";
import type { ApproovTokenClaims } from "@shapes/protocol";
import { constantTimeEqual } from "./constant-time-equal.js";
import { VerifierError } from "./errors.js";

/** Why a token binding check failed. Stable strings; messages never contain the values. */
export const TOKEN_BINDING_ERROR_CODES = {
  "no-pay": "the Approov token has no pay claim: it is not bound to anything",
  "no-bound-value": "the request does not carry the value the token is bound to",
  "pay-mismatch": "the pay claim is not the hash of the bound value",
} as const;

export type TokenBindingErrorCode = keyof typeof TOKEN_BINDING_ERROR_CODES;

export class TokenBindingError extends VerifierError {
  override name = "TokenBindingError";
  declare readonly code: TokenBindingErrorCode;

  constructor(code: TokenBindingErrorCode) {
    super(code, TOKEN_BINDING_ERROR_CODES[code]);
  }
}

/**
 * The `pay` value for a bound value: STANDARD base64 (with padding) of SHA-256 of its
 * bytes; a string is taken as UTF-8. This is what the SDK's `payload` becomes in the token,
 * and what the public backend examples compute from the whole `Authorization` header.
 */
export function tokenBindingHash(value: string | Uint8Array): string {
  const hash = createHash("sha256");
  if (typeof value === "string") hash.update(value, "utf8");
  else hash.update(value);
  return hash.digest("base64");
}

/**
 * Checks that a verified token is bound to `boundValue` (e.g. the request's Authorization
 * header, exactly as received): `pay` must equal tokenBindingHash(boundValue). Throws
 * TokenBindingError. The comparison runs in constant time.
 */
export function checkTokenBinding(
  claims: ApproovTokenClaims,
  boundValue: string | Uint8Array | undefined,
): void {
  if (claims.pay === undefined) throw new TokenBindingError("no-pay");
  if (boundValue === undefined || boundValue.length === 0) {
    throw new TokenBindingError("no-bound-value");
  }
  if (!constantTimeEqual(claims.pay, tokenBindingHash(boundValue))) {
    throw new TokenBindingError("pay-mismatch");
  }
}
