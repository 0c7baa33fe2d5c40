import { secretsEqual } from "@shapes/node-service";
import type { Context } from "hono";
import { AdminError } from "../admin/admin-error.js";
import { bearerToken } from "../http/bearer-token.js";
import type { PortalSessions } from "./portal-sessions.js";

/** What a request's bearer token grants on the portal's routes. */
export type PortalAccess = "admin" | "metrics-key" | "session" | "ticket";

export interface PortalKeys {
  adminKey: string | undefined;
  /** METRICS_TOKEN: a read-only key (it also guards /metrics). */
  metricsToken: string | undefined;
  sessions: PortalSessions;
}

export const MISSING_ACCESS =
  "metrics access required: open the portal with `approov metrics`, or send the admin key or METRICS_TOKEN as a Bearer token";
const REFUSED_ACCESS =
  "metrics access not accepted: the session expired or was never opened, or the key is wrong";

/** The same time whether or not the key is configured (as admin-auth.ts). */
const keyMatches = (given: string, key: string | undefined) =>
  secretsEqual(given, key ?? "") && key !== undefined;

/**
 * The bearer token's access among `allowed`; a 401 naming what is missing otherwise. A
 * ticket is spent by asking (single use), so only the session exchange allows it.
 */
export function requireAccess(
  c: Context,
  keys: PortalKeys,
  allowed: readonly PortalAccess[],
): PortalAccess {
  const given = bearerToken(c.req.header("authorization"));
  if (given === undefined) throw new AdminError(401, MISSING_ACCESS);
  const admin = keyMatches(given, keys.adminKey);
  const metrics = keyMatches(given, keys.metricsToken);
  const access: PortalAccess | undefined = admin
    ? "admin"
    : metrics
      ? "metrics-key"
      : keys.sessions.isSession(given)
        ? "session"
        : allowed.includes("ticket") && keys.sessions.redeemTicket(given)
          ? "ticket"
          : undefined;
  if (access === undefined || !allowed.includes(access)) throw new AdminError(401, REFUSED_ACCESS);
  return access;
}
