import { type Context, Hono } from "hono";
import { AccountSaveError, AccountUnavailableError } from "../account/account-holder.js";
import { requestIdOf } from "../http/request-id.js";
import { type LogWriter, logLine, stdoutLogWriter } from "../observability/log-line.js";
import { SharedAccountInvalidError } from "../shared-state/shared-store.js";
import { adminAuth } from "./admin-auth.js";
import type { AdminDeps } from "./admin-deps.js";
import { AdminError, type AdminErrorCode, adminErrorResponse } from "./admin-error.js";
import { accountRoutes } from "./routes/account-routes.js";
import { apiRoutes } from "./routes/api-routes.js";
import { portalRoutes } from "./routes/portal-routes.js";
import { summaryRoutes } from "./routes/summary-routes.js";
import { tokenRoutes } from "./routes/token-routes.js";
import { webRoutes } from "./routes/web-routes.js";

/** One line per admin request: what was asked and the answer's status, never a body. */
export interface AdminLogEntry {
  time: string;
  msg: "admin";
  /** The request's id (X-Request-Id), shared with its access log line. */
  requestId?: string;
  method: string;
  path: string;
  status: number;
  /** A refusal's stable code. */
  code?: AdminErrorCode;
}
export type AdminLog = (entry: AdminLogEntry) => void;

/** An admin log writing each entry as one structured line (`level` "info"). */
export function adminLogTo(write: LogWriter): AdminLog {
  return ({ time, ...rest }) => write({ time, level: "info", ...rest });
}

export interface AdminAppDeps extends AdminDeps {
  log: AdminLog;
  /** Where failures are logged (structured lines; stdout by default). */
  write?: LogWriter;
}

/**
 * The admin API's one error mapping: typed refusals as they are, a failed save as 500 and
 * an unavailable shared store as 503 (nothing changed either way), anything else a bare 500.
 */
function adminErrors(deps: AdminAppDeps) {
  const write = deps.write ?? stdoutLogWriter;
  const logError = (c: Context, msg: string, fields: Record<string, unknown>) =>
    write(logLine(deps.now(), "error", msg, requestIdOf(c), fields));
  return (error: Error, c: Context): Response => {
    if (error instanceof AdminError) return adminErrorResponse(c, error);
    if (error instanceof AccountSaveError) {
      logError(c, "admin change not saved", { error: error.message });
      return adminErrorResponse(
        c,
        new AdminError(500, "the change could not be saved; nothing changed"),
      );
    }
    if (error instanceof AccountUnavailableError || error instanceof SharedAccountInvalidError) {
      logError(c, "admin change not applied", { error: error.name, detail: error.message });
      return adminErrorResponse(
        c,
        new AdminError(503, "the shared account store is unavailable; nothing changed, try again"),
        { "retry-after": "1" },
      );
    }
    // The name only: messages could echo request data; no stack ever reaches the client.
    logError(c, "admin unexpected error", { error: error.name ?? "error" });
    return adminErrorResponse(c, new AdminError(500, "internal error"));
  };
}

/**
 * The admin API as a Hono app, mounted at `/admin/v1`: one log line per request, the
 * bearer key first, JSON bodies within 16 KiB, `{error, field?}` answers from one error
 * mapping, every change saved before the answer. Each resource is a small sub-app.
 */
export function adminRoutes(deps: AdminAppDeps): Hono {
  const admin = new Hono();
  admin.onError(adminErrors(deps));
  admin.use("*", async (c, next) => {
    await next();
    const requestId = requestIdOf(c);
    const code = c.error instanceof AdminError ? c.error.code : undefined;
    deps.log({
      time: new Date(deps.now()).toISOString(),
      msg: "admin",
      ...(requestId !== undefined ? { requestId } : {}),
      method: c.req.method,
      // Paths hold public names only (domains, site keys); clipped, as they are client text.
      path: c.req.path.slice(0, 300),
      status: c.res.status,
      ...(code !== undefined ? { code } : {}),
    });
  });
  // Before the key check: the portal's page needs none, its data takes a session too.
  admin.route("/", portalRoutes(deps));
  admin.use("*", adminAuth(deps.adminKey));
  admin.route("/account", accountRoutes(deps));
  admin.route("/apis", apiRoutes(deps));
  admin.route("/web", webRoutes(deps));
  admin.route("/tokens", tokenRoutes(deps));
  admin.route("/metrics", summaryRoutes(deps));
  admin.all("*", (c) =>
    adminErrorResponse(
      c,
      new AdminError(404, `no admin endpoint ${c.req.method} ${c.req.path}`.slice(0, 300)),
    ),
  );
  return admin;
}
