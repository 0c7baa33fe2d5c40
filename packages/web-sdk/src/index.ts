// approov.js: the Approov web SDK (the seed's "Web SDK" reference).
export { Approov } from "./approov.js";
export {
  ApproovError,
  ApproovFetchError,
  ApproovServiceError,
  ApproovSessionError,
} from "./errors.js";
export type { ApproovConfig } from "./session.js";
export type {
  FetchTokenOptions,
  FingerprintResult,
  HcaptchaResult,
} from "./web-protection-params.js";
