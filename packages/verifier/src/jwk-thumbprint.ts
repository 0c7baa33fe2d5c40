import { calculateJwkThumbprint, type JWK } from "jose";

/**
 * RFC 7638 thumbprint (SHA-256, base64url) of a public JWK: the `jkt` that `cnf` claims
 * and refresh tokens bind to. The same value as jose `calculateJwkThumbprint(jwk, "sha256")`.
 */
export function jwkThumbprint(jwk: JWK): Promise<string> {
  return calculateJwkThumbprint(jwk, "sha256");
}
