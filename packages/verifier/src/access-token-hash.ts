import { createHash } from "node:crypto";

/** The DPoP `ath` value for an access token: base64url(SHA-256(ASCII token)), RFC 9449 4.2. */
export function accessTokenHash(accessToken: string): string {
  return createHash("sha256").update(accessToken, "utf8").digest("base64url");
}
