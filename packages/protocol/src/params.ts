import { INTEGRATIONS, integrationParams } from "./integrations.js";

/**
 * Request parameter names of the attest service (form-encoded body, or the query
 * string on `POST /attest`) that belong to no integration. Each integration's own
 * names (the quickstart's `hcaptcha-site-key`, `hcaptcha-token`, ...) are in its
 * descriptor (integrations.ts). Which names each endpoint accepts: ENDPOINT_PARAMS.
 */
export const ATTEST_PARAMS = {
  api: "api",
  approovSiteKey: "approov-site-key",
  payload: "payload",
  /** SDK `POST /refresh` only: the session's refresh token. */
  refreshToken: "refresh-token",
} as const;

const P = ATTEST_PARAMS;

const COMMON_PARAMS = [P.api, P.approovSiteKey, P.payload];

/**
 * The names each endpoint accepts; any other name is answered `rqst-illegal-params`.
 * `/refresh` takes no web protection parameter: a new human-check result goes to `/token`.
 */
export const ENDPOINT_PARAMS = {
  attest: [...COMMON_PARAMS, ...INTEGRATIONS.flatMap((d) => integrationParams(d, "attest"))],
  token: [...COMMON_PARAMS, ...INTEGRATIONS.flatMap((d) => integrationParams(d, "token"))],
  refresh: [...COMMON_PARAMS, P.refreshToken],
} as const satisfies Record<string, readonly string[]>;

export type ServiceEndpoint = keyof typeof ENDPOINT_PARAMS;

/** HTTP header names of the protocol. */
export const HEADERS = {
  approovToken: "Approov-Token",
  dpop: "DPoP",
  dpopNonce: "DPoP-Nonce",
  wwwAuthenticate: "WWW-Authenticate",
} as const;
