export type { ApproovTokenClaims } from "@shapes/protocol";
export { accessTokenHash } from "./access-token-hash.js";
export {
  decodeApproovEncryptionSecret,
  decodeApproovSecret,
  ENCRYPTION_SECRET_BYTES,
  MIN_SECRET_BYTES,
} from "./decode-secret.js";
export {
  DEFAULT_DPOP_ALGORITHMS,
  DPOP_ALGORITHM_KEYS,
  type DpopAlgorithm,
} from "./dpop-algorithms.js";
export type { DpopProofClaims } from "./dpop-claims.js";
export {
  DPOP_NONCE_ERROR_CODES,
  DPOP_PROOF_ERROR_CODES,
  DpopProofError,
  type DpopProofErrorCode,
  HtuError,
} from "./dpop-errors.js";
export { MAX_DPOP_PROOF_LENGTH } from "./dpop-header.js";
export {
  DEFAULT_DPOP_KEY_CACHE_SIZE,
  DPOP_KEY_CACHE_MAX_CHARS,
} from "./dpop-key-cache.js";
export {
  DEFAULT_DPOP_FUTURE_TOLERANCE_SECONDS,
  DEFAULT_DPOP_MAX_AGE_SECONDS,
  type DpopNonceCheck,
  type DpopProofRequest,
  type DpopProofVerifierOptions,
  type VerifyDpopProofOptions,
} from "./dpop-options.js";
export {
  createDpopProofVerifier,
  type DpopProofVerifier,
  MAX_UNIQUE_NONCE_LENGTH,
  type VerifiedDpopProof,
} from "./dpop-proof-verifier.js";
export {
  APPROOV_TOKEN_ERROR_CODES,
  ApproovConfigError,
  type ApproovConfigErrorCode,
  ApproovTokenError,
  type ApproovTokenErrorCode,
  VerifierError,
} from "./errors.js";
export {
  type ApproovGuardOptions,
  createApproovGuard,
  type GuardDecision,
  type GuardRequest,
} from "./guard/approov-guard.js";
export { jwkThumbprint } from "./jwk-thumbprint.js";
export type { ApproovKey } from "./key-ring.js";
export {
  DEFAULT_REPLAY_STORE_MAX_ENTRIES,
  MemoryReplayStore,
  type MemoryReplayStoreOptions,
} from "./memory-replay-store.js";
export { normalizeHtu } from "./normalize-htu.js";
export {
  APPROOV_TOKEN_STATUS,
  type ApproovTokenCheckOptions,
  checkPublicOrigin,
  DPOP_PROOF_STATUS,
  dpopChallenge,
  TOKEN_BINDING_STATUS,
} from "./refusals.js";
export type { ReplayStore } from "./replay-store.js";
export {
  DEFAULT_MAX_BODY_BYTES,
  EMPTY_MESSAGE_HASH,
  messageHash,
  RequestBodyTooLargeError,
} from "./request-body-hash.js";
export {
  checkTokenBinding,
  TOKEN_BINDING_ERROR_CODES,
  TokenBindingError,
  type TokenBindingErrorCode,
  tokenBindingHash,
} from "./token-binding.js";
export {
  CHANNEL_REQUIREMENTS,
  type ChannelRequirement,
  checkTokenChannel,
  type TokenChannel,
  TokenChannelError,
  tokenChannel,
} from "./token-channel.js";
export {
  DEFAULT_TOKEN_CACHE_MAX_CHARS,
  DEFAULT_TOKEN_CACHE_MAX_ENTRIES,
  type TokenCacheOptions,
} from "./verified-token-cache.js";
export { verifyDpopProof } from "./verify-dpop-proof.js";
export {
  APPROOV_TOKEN_ALGORITHMS,
  type ApproovTokenVerifier,
  type ApproovTokenVerifierOptions,
  createApproovTokenVerifier,
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  DEFAULT_MAX_TOKEN_LENGTH,
  MAX_CLOCK_TOLERANCE_SECONDS,
} from "./verify-token.js";
