import { secretsEqual } from "@shapes/node-service";
import type { MiddlewareHandler } from "hono";
import { bearerToken } from "../http/bearer-token.js";
import { AdminError } from "./admin-error.js";

/**
 * `Authorization: Bearer <admin key>`, compared in constant time. Without a configured
 * key (an app built without one) every request is refused.
 */
export function adminAuth(adminKey: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    const given = bearerToken(c.req.header("authorization"));
    if (given === undefined) {
      throw new AdminError(401, "admin key required");
    }
    // Compared even without a configured key, so both refusals take the same time.
    const accepted = secretsEqual(given, adminKey ?? "") && adminKey !== undefined;
    if (!accepted) throw new AdminError(401, "admin key not accepted");
    await next();
  };
}
