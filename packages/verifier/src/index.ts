export type { ApproovTokenClaims } from "@shapes/protocol";
export { decodeApproovSecret, MIN_SECRET_BYTES } from "./decode-secret.js";
export {
  APPROOV_TOKEN_ERROR_CODES,
  ApproovConfigError,
  type ApproovConfigErrorCode,
  ApproovTokenError,
  type ApproovTokenErrorCode,
} from "./errors.js";
export {
  type ApproovTokenVerifier,
  type ApproovTokenVerifierOptions,
  createApproovTokenVerifier,
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  DEFAULT_MAX_TOKEN_LENGTH,
  MAX_CLOCK_TOLERANCE_SECONDS,
} from "./verify-token.js";
