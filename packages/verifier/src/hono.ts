export {
  APPROOV_TOKEN_STATUS,
  type ApproovTokenEnv,
  type ApproovTokenMiddlewareOptions,
  approovToken,
} from "./approov-token-middleware.js";
