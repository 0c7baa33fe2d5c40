import type { JWK } from "jose";
import { DPOP_ALGORITHM_KEYS, type DpopAlgorithm } from "./dpop-algorithms.js";
import { DpopProofError } from "./dpop-errors.js";
import { isPlainObject } from "./json-part.js";

/** Members that only a private or secret key has (RFC 7518 6.2.2, 6.3.2, 6.4; RFC 8037). */
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] as const;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** RFC 9449 does not set a size; below 2048 bits RSA is refused (as jose does). */
const MIN_RSA_MODULUS_BYTES = 256;
/** 16 384-bit keys at most: bounds the cost an attacker can make us pay per proof. */
const MAX_RSA_MODULUS_BYTES = 2048;
const MAX_RSA_EXPONENT_BYTES = 8;

/** Canonical base64url only: one key must have one thumbprint. Returns the byte length. */
function decodedLength(value: unknown): number | undefined {
  if (typeof value !== "string" || !BASE64URL.test(value)) return undefined;
  const bytes = Buffer.from(value, "base64url");
  return bytes.toString("base64url") === value ? bytes.length : undefined;
}

function badJwk(): never {
  throw new DpopProofError("bad-jwk");
}

/**
 * Validates the proof's `jwk` header for `alg` and returns only its public members, so
 * nothing else (`alg`, `key_ops`, `ext`, ...) reaches the key import or the thumbprint.
 */
export function publicJwkFor(jwk: unknown, alg: DpopAlgorithm): JWK {
  if (!isPlainObject(jwk)) return badJwk();
  if (PRIVATE_MEMBERS.some((member) => Object.hasOwn(jwk, member))) {
    throw new DpopProofError("private-key");
  }
  if (jwk.use !== undefined && jwk.use !== "sig") return badJwk();
  const expected = DPOP_ALGORITHM_KEYS[alg];
  if (jwk.kty !== expected.kty) return badJwk();

  if (expected.kty === "RSA") {
    const modulus = decodedLength(jwk.n);
    const exponent = decodedLength(jwk.e);
    if (modulus === undefined || modulus < MIN_RSA_MODULUS_BYTES) return badJwk();
    if (modulus > MAX_RSA_MODULUS_BYTES) return badJwk();
    if (exponent === undefined || exponent > MAX_RSA_EXPONENT_BYTES) return badJwk();
    return { kty: "RSA", n: jwk.n as string, e: jwk.e as string };
  }
  if (jwk.crv !== expected.crv || decodedLength(jwk.x) !== expected.bytes) return badJwk();
  if (expected.kty === "OKP") return { kty: "OKP", crv: expected.crv, x: jwk.x as string };
  if (decodedLength(jwk.y) !== expected.bytes) return badJwk();
  return { kty: "EC", crv: expected.crv, x: jwk.x as string, y: jwk.y as string };
}
