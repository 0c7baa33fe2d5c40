export {
  type ApproovTokenEnv,
  type ApproovTokenMiddlewareOptions,
  approovToken,
} from "./approov-token-middleware.js";
export {
  type DpopProofEnv,
  type DpopProofMiddlewareOptions,
  dpopProof,
} from "./dpop-middleware.js";
export {
  APPROOV_TOKEN_STATUS,
  DPOP_PROOF_STATUS,
  dpopChallenge,
  TOKEN_BINDING_STATUS,
} from "./refusals.js";
export {
  approovTokenBinding,
  type TokenBindingMiddlewareOptions,
} from "./token-binding-middleware.js";
