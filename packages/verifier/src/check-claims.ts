import type { ApproovTokenClaims } from "@shapes/protocol";
import { ApproovTokenError } from "./errors.js";
import { isPlainObject } from "./json-part.js";

const OPTIONAL_STRING_CLAIMS = ["ip", "arc", "pay", "did"] as const;

/**
 * Checks the claim types our apps rely on, after the signature and the time claims
 * have been checked by jose. A signed token with odd types is still refused: the
 * readers of `embed`, `pay` and `cnf` must not have to re-validate.
 */
export function checkClaimTypes(payload: Record<string, unknown>): ApproovTokenClaims {
  const { exp, iat, embed, cnf } = payload;
  if (typeof exp !== "number" || !Number.isFinite(exp)) throw new ApproovTokenError("bad-claims");
  if (iat !== undefined && (typeof iat !== "number" || !Number.isFinite(iat))) {
    throw new ApproovTokenError("bad-claims");
  }
  for (const name of OPTIONAL_STRING_CLAIMS) {
    const value = payload[name];
    if (value !== undefined && typeof value !== "string") throw new ApproovTokenError("bad-claims");
  }
  if (embed !== undefined) {
    if (!isPlainObject(embed) || !Object.values(embed).every(isPlainObject)) {
      throw new ApproovTokenError("bad-claims");
    }
  }
  if (cnf !== undefined && !(isPlainObject(cnf) && typeof cnf.jkt === "string")) {
    throw new ApproovTokenError("bad-claims");
  }
  return payload as unknown as ApproovTokenClaims;
}

/**
 * jose checks `iat` only when a maximum age is asked for; a token issued in the
 * future (beyond the clock tolerance) is refused here.
 */
export function checkIssuedAt(
  claims: ApproovTokenClaims,
  nowSeconds: number,
  toleranceSeconds: number,
): void {
  if (claims.iat !== undefined && claims.iat > nowSeconds + toleranceSeconds) {
    throw new ApproovTokenError("not-yet-valid");
  }
}
