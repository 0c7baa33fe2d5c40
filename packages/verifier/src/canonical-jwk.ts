import type { JWK } from "jose";
import { sha256Base64url } from "./sha256-base64url.js";

/**
 * RFC 7638 3.2 canonical JSON of a public key: only the required members, in lexicographic
 * order, no whitespace. It is the thumbprint input, and, with the alg, the DPoP key cache key
 * (it holds every member the key import reads, so equal text means an equal imported key).
 * Takes the output of publicJwkFor (validated base64url values, known kty and crv).
 */
export function canonicalJwk(jwk: JWK): string {
  switch (jwk.kty) {
    case "EC":
      return JSON.stringify({ crv: jwk.crv, kty: "EC", x: jwk.x, y: jwk.y });
    case "OKP":
      return JSON.stringify({ crv: jwk.crv, kty: "OKP", x: jwk.x });
    case "RSA":
      return JSON.stringify({ e: jwk.e, kty: "RSA", n: jwk.n });
    default:
      // publicJwkFor only returns the three types above: reaching this is a bug, not input.
      throw new TypeError("canonicalJwk: unsupported kty");
  }
}

/**
 * The RFC 7638 SHA-256 thumbprint (base64url) of a canonical JWK: one synchronous hash,
 * the same value as jose `calculateJwkThumbprint(jwk, "sha256")` (a WebCrypto digest).
 */
export function canonicalJwkThumbprint(canonical: string): string {
  return sha256Base64url(canonical);
}
