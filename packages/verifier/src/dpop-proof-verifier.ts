import type { KeyObject } from "node:crypto";
import { type CryptoKey, compactVerify, errors, importJWK, type JWK } from "jose";
import { accessTokenHash } from "./access-token-hash.js";
import { canonicalJwk, canonicalJwkThumbprint } from "./canonical-jwk.js";
import { constantTimeEqual } from "./constant-time-equal.js";
import { type DpopAlgorithm, isDpopAlgorithm } from "./dpop-algorithms.js";
import { type DpopProofClaims, readProofClaims } from "./dpop-claims.js";
import { DpopProofError } from "./dpop-errors.js";
import { isDpopTyp, readProofHeader } from "./dpop-header.js";
import { publicJwkFor } from "./dpop-jwk.js";
import { type CachedProofKey, DpopKeyCache } from "./dpop-key-cache.js";
import {
  type CheckedDpopRequest,
  checkRequest,
  checkVerifierOptions,
  type DpopProofRequest,
  type DpopProofVerifierOptions,
  type DpopVerifierSettings,
  readClock,
} from "./dpop-options.js";
import { importEcProofKey, isEcProofAlgorithm, verifyEcProof } from "./ec-proof-signature.js";
import { decodeJsonBytes } from "./json-part.js";
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

/** Checks one proof for one request; see createDpopProofVerifier. */
export type DpopProofVerifier = ((
  proof: string | undefined,
  request: DpopProofRequest,
) => Promise<VerifiedDpopProof>) & {
  /** Proof keys currently cached (0 when the cache is off). */
  readonly keyCacheSize: number;
};

async function importProofKey(jwk: JWK, alg: string): Promise<CryptoKey> {
  try {
    return (await importJWK(jwk, alg)) as CryptoKey;
  } catch {
    // e.g. EC coordinates that are not a point on the curve.
    throw new DpopProofError("bad-jwk");
  }
}

/** jose's JWS check, pinned to the one alg already matched with the allow-list and the key. */
async function verifiedPayload(proof: string, key: CryptoKey, alg: string) {
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(proof, key, { algorithms: [alg] }));
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      throw new DpopProofError("bad-signature");
    }
    if (error instanceof errors.JOSEError) throw new DpopProofError("malformed");
    throw error;
  }
  const claims = decodeJsonBytes(payload);
  if (!claims) throw new DpopProofError("malformed");
  return claims;
}

/** ECDSA (the SDK's ES256) through node:crypto, synchronously; the other algs through jose. */
function signedPayload(proof: string, key: CachedProofKey["key"], alg: DpopAlgorithm) {
  if (isEcProofAlgorithm(alg)) return verifyEcProof(proof, key as KeyObject, alg);
  return verifiedPayload(proof, key as CryptoKey, alg);
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
 * The proof checks of RFC 9449 section 4.3 plus the Approov `msgs`, in the documented
 * order. `keys` (optional) only saves the key import and thumbprint of a key seen before:
 * the jwk checks and jose's signature check run for every proof.
 */
export async function checkProof(
  proof: string | undefined,
  settings: DpopVerifierSettings,
  request: CheckedDpopRequest,
  keys: DpopKeyCache | undefined,
): Promise<VerifiedDpopProof> {
  const header = readProofHeader(proof);
  if (!isDpopTyp(header.typ)) throw new DpopProofError("bad-typ");
  const { alg } = header;
  if (!isDpopAlgorithm(alg) || !settings.algorithms.includes(alg)) {
    throw new DpopProofError("bad-alg");
  }
  const jwk = publicJwkFor(header.jwk, alg);
  const canonical = canonicalJwk(jwk);
  // The alg is part of the key: RS256 and PS256 import the same JWK as different keys.
  const cacheId = `${alg} ${canonical}`;
  let proofKey: CachedProofKey | undefined = keys?.get(cacheId);
  const cached = proofKey !== undefined;
  proofKey ??= {
    key: isEcProofAlgorithm(alg) ? importEcProofKey(jwk) : await importProofKey(jwk, alg),
    jkt: canonicalJwkThumbprint(canonical),
  };
  const claims = readProofClaims(await signedPayload(proof as string, proofKey.key, alg));
  // Only a key that verified a signature is remembered: holding one costs its owner a key pair.
  if (!cached) keys?.set(cacheId, proofKey);

  if (claims.htm !== request.method) throw new DpopProofError("htm-mismatch");
  const htu = proofHtu(claims.htu);
  if (htu !== request.htu) throw new DpopProofError("htu-mismatch");

  const nowSeconds = request.nowMs / 1000;
  if (claims.iat < nowSeconds - settings.maxAgeSeconds) throw new DpopProofError("iat-stale");
  if (claims.iat > nowSeconds + settings.futureToleranceSeconds) {
    throw new DpopProofError("iat-future");
  }

  if (request.accessToken !== undefined) {
    if (claims.ath === undefined) throw new DpopProofError("missing-claim");
    if (!constantTimeEqual(claims.ath, accessTokenHash(request.accessToken))) {
      throw new DpopProofError("ath-mismatch");
    }
  }
  const { jkt } = proofKey;
  if (request.expectedJkt !== undefined && !constantTimeEqual(jkt, request.expectedJkt)) {
    throw new DpopProofError("jkt-mismatch");
  }
  if (
    request.messageHash !== undefined &&
    claims.msgs !== undefined &&
    !constantTimeEqual(claims.msgs, request.messageHash)
  ) {
    throw new DpopProofError("msgs-mismatch");
  }
  if (request.nonce) {
    if (claims.nonce === undefined) throw new DpopProofError("missing-nonce");
    // Only a real `true` accepts: a checker that answers oddly fails closed.
    if (typeof claims.nonce !== "string" || (await request.nonce(claims.nonce)) !== true) {
      throw new DpopProofError("bad-nonce");
    }
  }
  if (settings.uniqueNonce) {
    if (claims.nonce === undefined) throw new DpopProofError("missing-nonce");
    const { nonce } = claims;
    if (typeof nonce !== "string" || nonce === "" || nonce.length > MAX_UNIQUE_NONCE_LENGTH) {
      throw new DpopProofError("bad-nonce");
    }
  }
  const { replay } = settings;
  if (replay) {
    // Remembered for as long as this proof's iat keeps it acceptable. One entry per proof:
    // with unique nonces the nonce alone refuses both a resent proof and a new proof reusing
    // it (a jti entry too would halve what a bounded store can hold).
    const expiresAtMs = Math.ceil((claims.iat + settings.maxAgeSeconds) * 1000);
    const key = settings.uniqueNonce
      ? nonceReplayKey(claims.nonce as string)
      : dpopReplayKey(htu, claims.jti);
    if (!(await replay.checkAndRemember(key, expiresAtMs))) {
      throw new DpopProofError("replayed");
    }
  }
  // A fresh object per proof: callers may change it without touching the cached key.
  return { jwk, jkt, claims };
}

/**
 * A DPoP proof verifier whose options are checked once (ApproovConfigError on a mistake),
 * with its own bounded cache of proof keys (`keyCacheSize`, default DEFAULT_DPOP_KEY_CACHE_SIZE, 0 = off).
 * Returns `(proof, { method, url, accessToken?, expectedJkt?, messageHash?, nonce? })`,
 * which resolves to the proof's key, thumbprint and claims or rejects with a DpopProofError.
 */
export function createDpopProofVerifier(options: DpopProofVerifierOptions = {}): DpopProofVerifier {
  const settings = checkVerifierOptions(options);
  // A clock that answers garbage is a setup error: report it now, not once per request.
  readClock(settings.now);
  const keys = settings.keyCacheSize > 0 ? new DpopKeyCache(settings.keyCacheSize) : undefined;
  const verify = (proof: string | undefined, request: DpopProofRequest) => {
    try {
      return checkProof(proof, settings, checkRequest(request, settings), keys);
    } catch (error) {
      // Keep every failure a rejection, as an async function would.
      return Promise.reject(error);
    }
  };
  return Object.defineProperty(verify, "keyCacheSize", {
    get: () => keys?.size ?? 0,
    enumerable: true,
  }) as DpopProofVerifier;
}
