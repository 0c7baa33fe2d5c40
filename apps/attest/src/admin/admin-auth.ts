import type { MiddlewareHandler } from "hono";
import { bearerToken } from "../http/bearer-token.js";
import { constantTimeEqual } from "../http/constant-time.js";
import { AdminError, adminErrorResponse } from "./admin-error.js";

/**
 * `Authorization: Bearer <admin key>`, compared in constant time. Without a configured
 * key (an app built without one) every request is refused.
 */
export function adminAuth(adminKey: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    const given = bearerToken(c.req.header("authorization"));
    if (given === undefined) {
      return adminErrorResponse(c, new AdminError(401, "admin key required"));
    }
    // Compared even without a configured key, so both refusals take the same time.
    const accepted = constantTimeEqual(given, adminKey ?? "") && adminKey !== undefined;
    if (!accepted) return adminErrorResponse(c, new AdminError(401, "admin key not accepted"));
    await next();
  };
}
