/**
 * The SDK protocol's answers (`POST /token`, `POST /refresh`), as attest writes them and
 * approov.js reads them.
 */

/** `{session: ms, "<prefix><key>": ms, ...}`: when the session and each result end. */
export type Expiries = Record<string, number>;

/** `POST /token`: tokens per API, the session's refresh token, the expiries. */
export interface TokenAnswer {
  tokens: Record<string, string>;
  refreshToken: string;
  expiries: Expiries;
}

/** `POST /refresh`: new tokens per API, the expiries (no new refresh token). */
export interface RefreshAnswer {
  tokens: Record<string, string>;
  expiries: Expiries;
}
