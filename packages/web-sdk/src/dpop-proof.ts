import { bytesToBase64url, jsonToBase64url, utf8Bytes } from "./base64url.js";
import type { SessionKey } from "./session.js";

/** Claims a proof carries besides `jti` and `iat` (RFC 9449 section 4.2, plus the seed's `msgs`). */
export interface ProofClaims {
  htm: string;
  htu: string;
  nonce?: unknown;
  ath?: string;
  msgs?: string;
}

/** 128 random bits, base64url: the proof's `jti`. */
function randomJti(): string {
  return bytesToBase64url(crypto.getRandomValues(new Uint8Array(16)));
}

/** The URI without its query and fragment, as `htu` wants it. */
export function htuOf(uri: string): string {
  const end = uri.search(/[?#]/);
  return end === -1 ? uri : uri.slice(0, end);
}

/** base64url(SHA-256(UTF-8 of the token)): the `ath` claim. */
export async function accessTokenHash(token: string): Promise<string> {
  return bytesToBase64url(new Uint8Array(await crypto.subtle.digest("SHA-256", utf8Bytes(token))));
}

/**
 * A DPoP proof JWT (ES256, `typ: dpop+jwt`, the session's public `jwk`) signed with
 * the session key. Optional claims are left out when undefined.
 */
export async function createDpopProof(key: SessionKey, claims: ProofClaims): Promise<string> {
  const payload = {
    jti: randomJti(),
    htm: claims.htm,
    htu: claims.htu,
    iat: Math.floor(Date.now() / 1000),
    nonce: claims.nonce,
    ath: claims.ath,
    msgs: claims.msgs,
  };
  const signingInput = `${key.encodedHeader}.${jsonToBase64url(payload)}`;
  const signature = await key.sign(utf8Bytes(signingInput));
  return `${signingInput}.${bytesToBase64url(new Uint8Array(signature))}`;
}
