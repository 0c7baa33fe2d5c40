// Checks that an answered Approov token is a real one (HS256 under the account secret,
// bound to the session key), so the bench never counts decoys as throughput.
import { createHmac, timingSafeEqual } from "node:crypto";

export class TokenCheckError extends Error {
  name = "TokenCheckError";
}

/** The token's claims when its HS256 signature is the account's; throws otherwise. */
export function checkApproovToken(token, accountSecretBase64, expectedJkt) {
  const parts = typeof token === "string" ? token.split(".") : [];
  if (parts.length !== 3) throw new TokenCheckError("not a compact JWS");
  const mac = createHmac("sha256", Buffer.from(accountSecretBase64, "base64"))
    .update(`${parts[0]}.${parts[1]}`)
    .digest();
  const given = Buffer.from(parts[2], "base64url");
  if (given.length !== mac.length || !timingSafeEqual(given, mac)) {
    throw new TokenCheckError("not signed with the account secret (a decoy?)");
  }
  const claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
  if (!(claims.exp > Date.now() / 1000)) throw new TokenCheckError("expired");
  if (expectedJkt !== undefined && claims.cnf?.jkt !== expectedJkt) {
    throw new TokenCheckError("cnf.jkt is not the session key's thumbprint");
  }
  return claims;
}

/** `header.payload` of a JWS: what an HS256 sign covers. */
export const signingInput = (token) => token.slice(0, token.lastIndexOf("."));
