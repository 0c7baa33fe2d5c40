import { sha256Base64url } from "./sha256-base64url.js";

/** The DPoP `ath` value for an access token: base64url(SHA-256(ASCII token)), RFC 9449 4.2. */
export function accessTokenHash(accessToken: string): string {
  return sha256Base64url(accessToken);
}
