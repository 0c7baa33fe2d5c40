/**
 * Request parameter names of the attest service (form-encoded body, or the query
 * string on `POST /attest`). The hCaptcha names are the quickstart's; the others
 * follow the same pattern. Which names each endpoint accepts: ENDPOINT_PARAMS.
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
  /** SDK `POST /token` only: hCaptcha's respKey (`getRespKey()`). */
  hcaptchaKey: "hcaptcha-key",
  /** SDK `POST /token` only: the page's host, which siteverify's `hostname` must equal. */
  hcaptchaHost: "hcaptcha-host",
  /** SDK `POST /refresh` only: the session's refresh token. */
  refreshToken: "refresh-token",
} as const;

export type AttestParamName = (typeof ATTEST_PARAMS)[keyof typeof ATTEST_PARAMS];

const P = ATTEST_PARAMS;

/** The web protection (human check) parameters shared by `/attest` and `/token`. */
const CHECK_PARAMS = [
  P.api,
  P.approovSiteKey,
  P.payload,
  P.hcaptchaSiteKey,
  P.hcaptchaToken,
  P.recaptchaSiteKey,
  P.recaptchaToken,
  P.fingerprintPublicApiKey,
  P.fingerprintVisitorId,
  P.fingerprintRequestId,
] as const;

/**
 * The names each endpoint accepts; any other name is answered `rqst-illegal-params`.
 * `/refresh` takes no web protection parameter: a new human-check result goes to `/token`.
 */
export const ENDPOINT_PARAMS = {
  attest: CHECK_PARAMS,
  token: [...CHECK_PARAMS, P.hcaptchaKey, P.hcaptchaHost],
  refresh: [P.api, P.approovSiteKey, P.payload, P.refreshToken],
} as const satisfies Record<string, readonly AttestParamName[]>;

export type ServiceEndpoint = keyof typeof ENDPOINT_PARAMS;

/** The names legal on `POST /attest` (the plain-JavaScript flow). */
export const ATTEST_PARAM_NAMES: readonly AttestParamName[] = ENDPOINT_PARAMS.attest;

/** HTTP header names of the protocol. */
export const HEADERS = {
  approovToken: "Approov-Token",
  dpop: "DPoP",
  dpopNonce: "DPoP-Nonce",
  wwwAuthenticate: "WWW-Authenticate",
} as const;
