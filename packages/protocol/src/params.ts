/**
 * Request parameter names of `POST /attest` (form-encoded body or query string).
 * The hCaptcha names are the quickstart's; the others follow the same pattern.
 */
export const ATTEST_PARAMS = {
  api: "api",
  approovSiteKey: "approov-site-key",
  payload: "payload",
  hcaptchaSiteKey: "hcaptcha-site-key",
  hcaptchaToken: "hcaptcha-token",
  recaptchaSiteKey: "recaptcha-site-key",
  recaptchaToken: "recaptcha-token",
  fingerprintPublicApiKey: "fingerprint-public-api-key",
  fingerprintVisitorId: "fingerprint-visitor-id",
  fingerprintRequestId: "fingerprint-request-id",
} as const;

export type AttestParamName = (typeof ATTEST_PARAMS)[keyof typeof ATTEST_PARAMS];

export const ATTEST_PARAM_NAMES: readonly AttestParamName[] = Object.values(ATTEST_PARAMS);

/** HTTP header names of the protocol. */
export const HEADERS = {
  approovToken: "Approov-Token",
  dpop: "DPoP",
  dpopNonce: "DPoP-Nonce",
} as const;
