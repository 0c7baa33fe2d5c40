import { sha256Base64url } from "./sha256-base64url.js";

/**
 * The replay store key of a proof: a hash of its normalised htu and jti (RFC 9449 11.1
 * allows remembering a hash). Fixed length, so a store's memory bound does not depend on
 * how long an attacker makes the jti. The newline cannot occur in a normalised htu.
 */
export function dpopReplayKey(normalizedHtu: string, jti: string): string {
  return sha256Base64url(`${normalizedHtu}\n${jti}`);
}

/**
 * The replay store key of an application nonce (seed: "check that it has not been seen
 * before"): "nonce:" + base64url(SHA-256(nonce)). Hashed for the same fixed length; the
 * prefix keeps nonce keys apart from jti keys (which never contain ":").
 */
export function nonceReplayKey(nonce: string): string {
  return `nonce:${sha256Base64url(nonce)}`;
}
