import crypto, { type KeyObject } from "node:crypto";
import type { ApproovTokenClaims } from "@shapes/protocol";
import { checkClaimTypes, checkIssuedAt } from "./check-claims.js";
import { ApproovTokenError } from "./errors.js";
import { decodeJsonObject } from "./json-part.js";

/**
 * An HS256 JWS checked with node:crypto: one HMAC and a constant-time compare, the same
 * checks jose's jwtVerify makes with the algorithm pinned and `exp` required (signature,
 * claims set a JSON object, exp, nbf, iat types and times), without WebCrypto's promise
 * round trip, which cost a fresh token 30 times its HMAC. Only plain headers come here (no
 * `crit`, no `b64`): anything else goes through jose.
 */
export function verifyHs256(
  token: string,
  key: KeyObject,
  nowMs: number,
  toleranceSeconds: number,
): ApproovTokenClaims {
  const payloadStart = token.indexOf(".") + 1;
  const signatureStart = token.indexOf(".", payloadStart) + 1;
  const signature = Buffer.from(token.slice(signatureStart), "base64url");
  const expected = crypto
    .createHmac("sha256", key)
    .update(token.slice(0, signatureStart - 1))
    .digest();
  if (signature.length !== expected.length || !crypto.timingSafeEqual(signature, expected)) {
    throw new ApproovTokenError("bad-signature");
  }
  const payload = decodeJsonObject(token.slice(payloadStart, signatureStart - 1));
  if (!payload) throw new ApproovTokenError("malformed");
  const now = Math.floor(nowMs / 1000);
  const { exp, nbf } = payload;
  if (exp === undefined) throw new ApproovTokenError("missing-exp");
  if (typeof exp !== "number" || !Number.isFinite(exp)) throw new ApproovTokenError("bad-claims");
  if (exp <= now - toleranceSeconds) throw new ApproovTokenError("expired");
  if (nbf !== undefined) {
    if (typeof nbf !== "number" || !Number.isFinite(nbf)) throw new ApproovTokenError("bad-claims");
    if (nbf > now + toleranceSeconds) throw new ApproovTokenError("not-yet-valid");
  }
  const claims = checkClaimTypes(payload);
  checkIssuedAt(claims, now, toleranceSeconds);
  return claims;
}
