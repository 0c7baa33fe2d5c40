import { ATTEST_PARAMS as P } from "@shapes/protocol";
import type { Account } from "../account/account.js";
import { ErrorCollector } from "../http/attest-error.js";
import { groupParams } from "../http/group-params.js";
import type { Param } from "../http/parse-params.js";
import { validateTargets } from "./validate-targets.js";
import { validateWebProtection, type WebProtectionChecks } from "./validate-web-protection.js";

/** A validated `/attest` or `/token` request, ready for the web protection check. */
export interface CheckRequest {
  /** The API domains the tokens are for (at least one, all web-enabled). */
  apis: string[];
  /** Token binding: STANDARD base64 of the 32 decoded payload bytes. */
  pay?: string;
  /** The integrations' checks to run (at least one). */
  checks: WebProtectionChecks;
}

/** A validated `/refresh` request (the refresh token itself is checked by the route). */
export interface RefreshRequest {
  apis: string[];
  pay?: string;
  /** The raw `refresh-token` value, undefined when absent. */
  refreshToken: string | undefined;
}

/**
 * Validates the parameters of `/attest` or `/token` into `e` (which may already hold
 * other problems of the request, e.g. the DPoP proof's), so one answer reports all.
 * Returns the request only when `e` is still empty.
 */
export function validateCheckParams(
  params: readonly Param[],
  account: Account,
  endpoint: "attest" | "token",
  e: ErrorCollector,
): CheckRequest | undefined {
  const p = groupParams(params, endpoint, e);
  const { matched, apis, pay } = validateTargets(p, account, e);
  const checks = validateWebProtection(p, matched, e);
  if (!e.empty) return undefined;
  if (!checks || checks.length === 0) {
    // Unreachable when the checks above are complete; refuse rather than issue a token.
    throw new Error("validated request without a web protection check");
  }
  return pay === undefined ? { apis, checks } : { apis, pay, checks };
}

/** `POST /attest`: every problem in one thrown 400 AttestError. */
export function validateAttestParams(params: readonly Param[], account: Account): CheckRequest {
  const e = new ErrorCollector();
  const request = validateCheckParams(params, account, "attest", e);
  e.throwIfAny();
  return request as CheckRequest;
}

/**
 * Validates the parameters of `/refresh` into `e`: the same site key, API and payload
 * checks, no web protection parameter (a new human-check result goes to /token).
 */
export function validateRefreshParams(
  params: readonly Param[],
  account: Account,
  e: ErrorCollector,
): RefreshRequest {
  const p = groupParams(params, "refresh", e);
  const { apis, pay } = validateTargets(p, account, e);
  const refreshToken = p.first(P.refreshToken);
  return pay === undefined ? { apis, refreshToken } : { apis, pay, refreshToken };
}
