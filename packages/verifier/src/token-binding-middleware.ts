import { createMiddleware } from "hono/factory";
import type { ApproovTokenEnv } from "./approov-token-middleware.js";
import { ApproovConfigError } from "./errors.js";
import { TOKEN_BINDING_STATUS } from "./refusals.js";
import { checkTokenBinding, TokenBindingError } from "./token-binding.js";

export interface TokenBindingMiddlewareOptions {
  /** The request header whose whole value the token is bound to; default "Authorization". */
  header?: string;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Token binding, after approovToken(): the token's `pay` must be the base64 SHA-256 of the
 * named header's value. 401 {"status":"invalid approov bound token"} when the token has no
 * `pay`, the header is missing or empty, or the hashes differ.
 */
export function approovTokenBinding(options: TokenBindingMiddlewareOptions = {}) {
  const header = options.header ?? "Authorization";
  if (typeof header !== "string" || !HEADER_NAME.test(header)) {
    throw new ApproovConfigError("bad-option", "header must be an HTTP header name");
  }
  return createMiddleware<ApproovTokenEnv>(async (c, next) => {
    const claims = c.get("approovToken");
    // A setup mistake (middleware order), not a client error: it must not become a 401.
    if (!claims) throw new Error("approovTokenBinding() must run after approovToken()");
    try {
      checkTokenBinding(claims, c.req.header(header));
    } catch (error) {
      if (!(error instanceof TokenBindingError)) throw error;
      return c.json({ status: TOKEN_BINDING_STATUS.invalid }, 401);
    }
    await next();
  });
}
