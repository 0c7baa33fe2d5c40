import { VerifierError } from "./errors.js";
/**
 * Why a DPoP proof was refused (RFC 9449 section 4.3). Stable strings: apps, logs and
 * tests switch on them. The messages are fixed per code and never contain the proof.
 */
export const DPOP_PROOF_ERROR_CODES = {
  missing: "no DPoP proof was given",
  malformed: "the DPoP proof is not a single well-formed compact JWS",
  "bad-typ": 'the DPoP proof typ is not "dpop+jwt"',
  "bad-alg": "the DPoP proof alg is not allowed",
  "bad-jwk": "the DPoP proof jwk header is missing or is not a public key usable with its alg",
  "private-key": "the DPoP proof jwk header contains private key members",
  "bad-signature": "the DPoP proof signature does not verify with its jwk",
  "missing-claim": "a DPoP proof claim is missing or has the wrong type",
  "htm-mismatch": "the DPoP proof htm does not match the request method",
  "htu-mismatch": "the DPoP proof htu does not match the request URL",
  "iat-stale": "the DPoP proof iat is too old",
  "iat-future": "the DPoP proof iat is in the future",
  replayed: "the DPoP proof (or, with unique nonces, its nonce) was already used",
  "ath-mismatch": "the DPoP proof ath does not match the access token",
  "jkt-mismatch": "the DPoP proof key is not the key the token is bound to",
  "msgs-mismatch": "the DPoP proof msgs does not match the message",
  "missing-nonce": "the DPoP proof has no nonce",
  "bad-nonce": "the DPoP proof nonce was not accepted",
  "unbound-token": "the access token has no cnf.jkt, so no DPoP proof can be bound to it",
} as const;

export type DpopProofErrorCode = keyof typeof DPOP_PROOF_ERROR_CODES;

/** The codes a server answers with a fresh nonce (RFC 9449 section 8: `use_dpop_nonce`). */
export const DPOP_NONCE_ERROR_CODES: readonly DpopProofErrorCode[] = ["missing-nonce", "bad-nonce"];

/** A DPoP proof was refused. No `cause`, no proof text: safe to log. */
export class DpopProofError extends VerifierError {
  override name = "DpopProofError";
  declare readonly code: DpopProofErrorCode;

  constructor(code: DpopProofErrorCode) {
    super(code, DPOP_PROOF_ERROR_CODES[code]);
  }
}

/** normalizeHtu was given something that is not an absolute http(s) URL it can compare. */
export class HtuError extends VerifierError {
  override name = "HtuError";
  declare readonly code: "invalid-url";

  constructor() {
    super("invalid-url", "not an absolute http(s) URL without credentials");
  }
}
