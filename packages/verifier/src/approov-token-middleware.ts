import type { ApproovTokenClaims } from "@shapes/protocol";
import { HEADERS } from "@shapes/protocol";
import { createMiddleware } from "hono/factory";
import { ApproovTokenError } from "./errors.js";
import { type ApproovTokenVerifier, createApproovTokenVerifier } from "./verify-token.js";

/** The Hono env the middleware provides: `c.var.approovToken` holds the verified claims. */
export type ApproovTokenEnv = { Variables: { approovToken: ApproovTokenClaims } };

export type ApproovTokenMiddlewareOptions =
  | { verify: ApproovTokenVerifier }
  | { secret: Uint8Array };

/** The JSON `status` messages of the public Shapes backends. */
export const APPROOV_TOKEN_STATUS = {
  missing: "missing approov token",
  invalid: "invalid approov token",
} as const;

/**
 * Requires a valid `Approov-Token` header: 400 when absent, 401 for any invalid token
 * (one answer for every reason, so a client cannot probe which check failed).
 */
export function approovToken(options: ApproovTokenMiddlewareOptions) {
  const verify =
    "verify" in options ? options.verify : createApproovTokenVerifier({ secret: options.secret });

  return createMiddleware<ApproovTokenEnv>(async (c, next) => {
    const token = c.req.header(HEADERS.approovToken);
    if (!token) return c.json({ status: APPROOV_TOKEN_STATUS.missing }, 400);
    let claims: ApproovTokenClaims;
    try {
      claims = await verify(token);
    } catch (error) {
      if (!(error instanceof ApproovTokenError)) throw error;
      if (error.code === "missing") return c.json({ status: APPROOV_TOKEN_STATUS.missing }, 400);
      return c.json({ status: APPROOV_TOKEN_STATUS.invalid }, 401);
    }
    c.set("approovToken", claims);
    await next();
  });
}
