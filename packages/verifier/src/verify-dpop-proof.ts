import { compactVerify, errors, importJWK, type JWK } from "jose";
import { accessTokenHash } from "./access-token-hash.js";
import { constantTimeEqual } from "./constant-time-equal.js";
import { isDpopAlgorithm } from "./dpop-algorithms.js";
import { type DpopProofClaims, readProofClaims } from "./dpop-claims.js";
import { DpopProofError } from "./dpop-errors.js";
import { decodeJsonObject, isDpopTyp, readProofHeader } from "./dpop-header.js";
import { publicJwkFor } from "./dpop-jwk.js";
import { checkDpopOptions, type VerifyDpopProofOptions } from "./dpop-options.js";
import { jwkThumbprint } from "./jwk-thumbprint.js";
import { normalizeHtu } from "./normalize-htu.js";
import { dpopReplayKey, nonceReplayKey } from "./replay-key.js";

/** Longest application nonce accepted with `uniqueNonce` (the SDK sends 22 to 43 characters). */
export const MAX_UNIQUE_NONCE_LENGTH = 512;

export interface VerifiedDpopProof {
  /** The proof's public key, public members only. */
  jwk: JWK;
  /** Its RFC 7638 SHA-256 thumbprint (base64url). */
  jkt: string;
  claims: DpopProofClaims;
}

async function importProofKey(jwk: JWK, alg: string) {
  try {
    return await importJWK(jwk, alg);
  } catch {
    // e.g. EC coordinates that are not a point on the curve.
    throw new DpopProofError("bad-jwk");
  }
}

async function verifiedPayload(proof: string, jwk: JWK, alg: string) {
  const key = await importProofKey(jwk, alg);
  let payload: Uint8Array;
  try {
    // Pinned to the one alg already checked against the allow-list and the key type.
    ({ payload } = await compactVerify(proof, key, { algorithms: [alg] }));
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      throw new DpopProofError("bad-signature");
    }
    if (error instanceof errors.JOSEError) throw new DpopProofError("malformed");
    throw error;
  }
  const claims = decodeJsonObject(Buffer.from(payload).toString("base64url"));
  if (!claims) throw new DpopProofError("malformed");
  return claims;
}

function proofHtu(htu: string): string {
  // RFC 9449 4.2: htu carries no query and no fragment; one that does is not this request.
  if (htu.includes("?") || htu.includes("#")) throw new DpopProofError("htu-mismatch");
  try {
    return normalizeHtu(htu);
  } catch {
    throw new DpopProofError("htu-mismatch");
  }
}

/**
 * Verifies a DPoP proof (the `DPoP` request header) as RFC 9449 section 4.3 asks, plus the
 * Approov `msgs` claim. Resolves to the proof's key, thumbprint and claims; rejects with a
 * DpopProofError (stable `code`) for a refused proof, or ApproovConfigError for bad options.
 * The replay store is only written once every other check has passed.
 */
export async function verifyDpopProof(
  proof: string | undefined,
  options: VerifyDpopProofOptions,
): Promise<VerifiedDpopProof> {
  const checked = checkDpopOptions(options);
  const header = readProofHeader(proof);
  if (!isDpopTyp(header.typ)) throw new DpopProofError("bad-typ");
  const { alg } = header;
  if (!isDpopAlgorithm(alg) || !checked.algorithms.includes(alg)) {
    throw new DpopProofError("bad-alg");
  }
  const jwk = publicJwkFor(header.jwk, alg);
  const claims = readProofClaims(await verifiedPayload(proof as string, jwk, alg));

  if (claims.htm !== checked.method) throw new DpopProofError("htm-mismatch");
  const htu = proofHtu(claims.htu);
  if (htu !== checked.htu) throw new DpopProofError("htu-mismatch");

  const nowSeconds = checked.nowMs / 1000;
  if (claims.iat < nowSeconds - checked.maxAgeSeconds) throw new DpopProofError("iat-stale");
  if (claims.iat > nowSeconds + checked.futureToleranceSeconds) {
    throw new DpopProofError("iat-future");
  }

  if (options.accessToken !== undefined) {
    if (claims.ath === undefined) throw new DpopProofError("missing-claim");
    if (!constantTimeEqual(claims.ath, accessTokenHash(options.accessToken))) {
      throw new DpopProofError("ath-mismatch");
    }
  }
  const jkt = await jwkThumbprint(jwk);
  if (options.expectedJkt !== undefined && !constantTimeEqual(jkt, options.expectedJkt)) {
    throw new DpopProofError("jkt-mismatch");
  }
  if (
    options.messageHash !== undefined &&
    claims.msgs !== undefined &&
    !constantTimeEqual(claims.msgs, options.messageHash)
  ) {
    throw new DpopProofError("msgs-mismatch");
  }
  if (options.nonce) {
    if (claims.nonce === undefined) throw new DpopProofError("missing-nonce");
    // Only a real `true` accepts: a checker that answers oddly fails closed.
    if (typeof claims.nonce !== "string" || (await options.nonce(claims.nonce)) !== true) {
      throw new DpopProofError("bad-nonce");
    }
  }
  if (options.uniqueNonce) {
    if (claims.nonce === undefined) throw new DpopProofError("missing-nonce");
    const { nonce } = claims;
    if (typeof nonce !== "string" || nonce === "" || nonce.length > MAX_UNIQUE_NONCE_LENGTH) {
      throw new DpopProofError("bad-nonce");
    }
  }
  if (options.replay) {
    // Remembered for as long as this proof's iat keeps it acceptable.
    const expiresAtMs = Math.ceil((claims.iat + checked.maxAgeSeconds) * 1000);
    if (!(await options.replay.checkAndRemember(dpopReplayKey(htu, claims.jti), expiresAtMs))) {
      throw new DpopProofError("replayed");
    }
    // After the jti: a resent proof is "replayed"; a new proof reusing a nonce is this.
    if (
      options.uniqueNonce &&
      !(await options.replay.checkAndRemember(nonceReplayKey(claims.nonce as string), expiresAtMs))
    ) {
      throw new DpopProofError("nonce-replayed");
    }
  }
  return { jwk, jkt, claims };
}
