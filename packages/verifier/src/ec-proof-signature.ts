import crypto, { type KeyObject } from "node:crypto";
import type { JWK } from "jose";
import { DpopProofError } from "./dpop-errors.js";
import { decodeJsonObject } from "./json-part.js";

/** The ECDSA proof algs checked with node:crypto: hash and raw (r || s) signature size. */
const EC_ALGORITHMS = {
  ES256: { hash: "sha256", signatureBytes: 64 },
  ES384: { hash: "sha384", signatureBytes: 96 },
  ES512: { hash: "sha512", signatureBytes: 132 },
} as const;

export type EcProofAlgorithm = keyof typeof EC_ALGORITHMS;

export function isEcProofAlgorithm(alg: string): alg is EcProofAlgorithm {
  return Object.hasOwn(EC_ALGORITHMS, alg);
}

/** The proof's public key as a KeyObject; a point off the curve is "bad-jwk". */
export function importEcProofKey(jwk: JWK): KeyObject {
  try {
    return crypto.createPublicKey({ key: jwk as crypto.JsonWebKey, format: "jwk" });
  } catch {
    throw new DpopProofError("bad-jwk");
  }
}

/**
 * The signature check jose's compactVerify makes for an ECDSA proof whose form and header
 * were already checked (three base64url parts, no `crit`, no `b64`, alg pinned), done with
 * node:crypto synchronously: WebCrypto's verify hops to the thread pool and back, which cost
 * attest's /refresh more than the verify itself. Returns the payload (a JSON object).
 */
export function verifyEcProof(proof: string, key: KeyObject, alg: EcProofAlgorithm) {
  const { hash, signatureBytes } = EC_ALGORITHMS[alg];
  const payloadStart = proof.indexOf(".") + 1;
  const signatureStart = proof.lastIndexOf(".") + 1;
  const signature = Buffer.from(proof.slice(signatureStart), "base64url");
  const valid =
    signature.length === signatureBytes &&
    crypto.verify(
      hash,
      Buffer.from(proof.slice(0, signatureStart - 1), "latin1"),
      { key, dsaEncoding: "ieee-p1363" },
      signature,
    );
  if (!valid) throw new DpopProofError("bad-signature");
  const claims = decodeJsonObject(proof.slice(payloadStart, signatureStart - 1));
  if (!claims) throw new DpopProofError("malformed");
  return claims;
}
