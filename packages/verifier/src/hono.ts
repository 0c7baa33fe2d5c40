export {
  APPROOV_TOKEN_STATUS,
  type ApproovTokenEnv,
  type ApproovTokenMiddlewareOptions,
  approovToken,
} from "./approov-token-middleware.js";
export {
  DPOP_PROOF_STATUS,
  type DpopProofEnv,
  type DpopProofMiddlewareOptions,
  dpopChallenge,
  dpopProof,
} from "./dpop-middleware.js";
export {
  approovTokenBinding,
  TOKEN_BINDING_STATUS,
  type TokenBindingMiddlewareOptions,
} from "./token-binding-middleware.js";
