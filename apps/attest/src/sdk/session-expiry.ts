/** One human-check result of a session and how long the account lets it count. */
export interface CheckedResult {
  /** Its embed key, `<prefix><key>`: also its key in `expiries`. */
  embedKey: string;
  /** The site's maxResultLifetimeSeconds: 0 means "the refresh token lifetime". */
  maxResultLifetimeSeconds: number;
}

export interface SessionTimes {
  /** Session end (the refresh token's `exp`), seconds since the epoch. */
  endSeconds: number;
  /** `{"session": <ms>, "<embed key>": <ms>}`, as answered to the SDK. */
  expiries: Record<string, number>;
}

/**
 * The session's end and the `expiries` answer. A session lasts the refresh token
 * lifetime, shortened by any result whose own lifetime is shorter (the seed's
 * "smaller of the maximum result lifetime and the refresh token lifetime").
 * Everything counts from `issuedAtSeconds`, so ms values are whole seconds and
 * `expiries.session` equals the refresh token's `exp` exactly.
 */
export function sessionTimes(
  issuedAtSeconds: number,
  refreshTokenLifetimeSeconds: number,
  results: readonly CheckedResult[],
): SessionTimes {
  let sessionSeconds = refreshTokenLifetimeSeconds;
  const expiries: Record<string, number> = {};
  for (const result of results) {
    const lifetime = result.maxResultLifetimeSeconds || refreshTokenLifetimeSeconds;
    sessionSeconds = Math.min(sessionSeconds, lifetime);
    expiries[result.embedKey] = (issuedAtSeconds + lifetime) * 1000;
  }
  const endSeconds = issuedAtSeconds + sessionSeconds;
  return { endSeconds, expiries: { session: endSeconds * 1000, ...expiries } };
}

/** An Approov token's lifetime within the session: never past its end, at least 1 s. */
export function tokenLifetimeSeconds(
  issuedAtSeconds: number,
  accountTokenLifetimeSeconds: number,
  sessionEndSeconds: number,
): number {
  return Math.max(1, Math.min(accountTokenLifetimeSeconds, sessionEndSeconds - issuedAtSeconds));
}
