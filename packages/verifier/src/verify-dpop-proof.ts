import { DEFAULT_DPOP_KEY_CACHE_SIZE, DpopKeyCache } from "./dpop-key-cache.js";
import { checkRequest, checkVerifierOptions, type VerifyDpopProofOptions } from "./dpop-options.js";
import { checkProof, type VerifiedDpopProof } from "./dpop-proof-verifier.js";

/**
 * One process-wide key cache for verifyDpopProof (default size): it holds public keys only,
 * so sharing it between callers shares nothing but the import work.
 */
const sharedKeys = new DpopKeyCache(DEFAULT_DPOP_KEY_CACHE_SIZE);

/**
 * Verifies a DPoP proof (the `DPoP` request header) as RFC 9449 section 4.3 asks, plus the
 * Approov `msgs` claim. Resolves to the proof's key, thumbprint and claims; rejects with a
 * DpopProofError (stable `code`) for a refused proof, or ApproovConfigError for bad options.
 * The replay store is only written once every other check has passed. Options are checked
 * on every call; a service should build a createDpopProofVerifier once instead.
 */
export async function verifyDpopProof(
  proof: string | undefined,
  options: VerifyDpopProofOptions,
): Promise<VerifiedDpopProof> {
  const settings = checkVerifierOptions(options);
  return checkProof(proof, settings, checkRequest(options, settings), sharedKeys);
}
