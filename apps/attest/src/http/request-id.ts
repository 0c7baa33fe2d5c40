import { randomBytes } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";

declare module "hono" {
  interface ContextVariableMap {
    /** The request's id: every log line written while handling it carries it. */
    requestId: string;
  }
}

export const REQUEST_ID_HEADER = "X-Request-Id";

/** What an incoming id may be: short and plain, so it is safe in a log line and a header. */
const WELL_FORMED = /^[A-Za-z0-9._-]{1,64}$/;

const ID_BYTES = 12;
/** Random bytes drawn 4 KiB at a time: one RNG call per 341 ids, not one per request. */
const POOL_BYTES = ID_BYTES * 341;
let pool = randomBytes(POOL_BYTES);
let offset = 0;

/** 96 random bits, base64url (16 characters). */
export function newRequestId(): string {
  if (offset + ID_BYTES > POOL_BYTES) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  offset += ID_BYTES;
  return pool.toString("base64url", offset - ID_BYTES, offset);
}

/**
 * Takes a well-formed incoming `X-Request-Id` (a proxy's, so lines can be joined across
 * services) or makes one, and answers it on every response, errors included.
 */
export function requestId(): MiddlewareHandler {
  return async (c, next) => {
    const given = c.req.header(REQUEST_ID_HEADER);
    const id = given !== undefined && WELL_FORMED.test(given) ? given : newRequestId();
    c.set("requestId", id);
    await next();
    c.res.headers.set(REQUEST_ID_HEADER, id);
  };
}

/** The id of the request `c` handles (undefined outside the middleware, e.g. in unit tests). */
export const requestIdOf = (c: Context): string | undefined => c.get("requestId");
