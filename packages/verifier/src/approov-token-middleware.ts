import type { ApproovTokenClaims } from "@shapes/protocol";
import { HEADERS } from "@shapes/protocol";
import type { Context, Next } from "hono";
import { createMiddleware } from "hono/factory";
import { ApproovConfigError, ApproovTokenError } from "./errors.js";
import { APPROOV_TOKEN_STATUS, type ApproovTokenCheckOptions } from "./refusals.js";
import { CHANNEL_REQUIREMENTS, checkTokenChannel, TokenChannelError } from "./token-channel.js";
import { createApproovTokenVerifier } from "./verify-token.js";

/** The Hono env the middleware provides: `c.var.approovToken` holds the verified claims. */
export type ApproovTokenEnv = { Variables: { approovToken: ApproovTokenClaims } };

/** The token check's options (refusals.ts), under the Hono middleware's name. */
export type ApproovTokenMiddlewareOptions = ApproovTokenCheckOptions;

/**
 * Requires a valid `Approov-Token` header: 400 when absent, 401 for any invalid token
 * (one answer for every reason, so a client cannot probe which check failed), and 401
 * "approov token not allowed here" for a valid token from a channel the route refuses.
 */
export function approovToken(options: ApproovTokenMiddlewareOptions) {
  const channel = options.channel ?? "any";
  if (!CHANNEL_REQUIREMENTS.includes(channel)) {
    throw new ApproovConfigError("bad-option", 'channel must be "any", "mobile" or "web"');
  }
  const verify = "verify" in options ? options.verify : createApproovTokenVerifier(options);

  // The cache-hit path stays synchronous up to next(): no extra promise per request.
  return createMiddleware<ApproovTokenEnv>((c, next) => {
    const token = c.req.header(HEADERS.approovToken);
    if (!token) return Promise.resolve(c.json({ status: APPROOV_TOKEN_STATUS.missing }, 400));
    const hit = verify.cached?.(token);
    if (hit) return accept(c, hit, next);
    return verify(token).then(
      (claims) => accept(c, claims, next),
      (error: unknown): Response => {
        if (!(error instanceof ApproovTokenError)) throw error;
        const missing = error.code === "missing";
        return c.json(
          { status: missing ? APPROOV_TOKEN_STATUS.missing : APPROOV_TOKEN_STATUS.invalid },
          missing ? 400 : 401,
        );
      },
    );
  });

  function accept(
    c: Context<ApproovTokenEnv>,
    claims: ApproovTokenClaims,
    next: Next,
  ): Promise<Response | undefined> {
    // After the (cached) signature check, on every request: the cache cannot skip it.
    try {
      checkTokenChannel(claims, channel);
    } catch (error) {
      if (!(error instanceof TokenChannelError)) throw error;
      return Promise.resolve(c.json({ status: APPROOV_TOKEN_STATUS.wrongChannel }, 401));
    }
    c.set("approovToken", claims);
    return next() as Promise<undefined>;
  }
}
