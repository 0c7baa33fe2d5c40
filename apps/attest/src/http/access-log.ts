import { performance } from "node:perf_hooks";
import type { MiddlewareHandler } from "hono";
import { type LogWriter, logLine } from "../observability/log-line.js";
import { requestIdOf } from "./request-id.js";

/** Paths are client text: long enough to read, short enough to bound a line. */
const MAX_PATH_CHARS = 300;

/**
 * One line per request once it is answered: method, path (never the query string: it may
 * hold parameters), status, milliseconds and the request id.
 */
export function accessLog(write: LogWriter, now: () => number): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    write(
      logLine(now(), "info", "request", requestIdOf(c), {
        method: c.req.method.slice(0, 16),
        path: c.req.path.slice(0, MAX_PATH_CHARS),
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      }),
    );
  };
}
