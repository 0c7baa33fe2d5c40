import type { ServiceEndpoint } from "@shapes/protocol";
import { type Context, Hono } from "hono";
import { attestRoute } from "./attest-route.js";
import { decisionErrors } from "./decision-errors.js";
import {
  type DecisionContext,
  type DecisionEnv,
  readDecisionRequest,
  recordDecision,
} from "./decision-route.js";
import { sdkRefreshRoute } from "./sdk-refresh-route.js";
import { type SdkRouteDeps, sdkTokenRoute } from "./sdk-token-route.js";

/** What the service answers to a path it knows asked with a method it does not take. */
export type MethodNotAllowed = (allow: string) => (c: Context) => Response;

/**
 * The decision endpoints (`/attest`, and the SDK's `/nonce`, `/token`, `/refresh`) as one
 * sub-app: each decision is read the same way, logged once, and its errors answered in
 * one place (decision-errors.ts); anything unexpected is the service's bare 500.
 */
export function decisionApp(
  deps: SdkRouteDeps,
  unexpected: (error: Error, c: Context) => Response,
  methodNotAllowed: MethodNotAllowed,
): Hono<DecisionEnv> {
  const app = new Hono<DecisionEnv>();
  app.onError(decisionErrors(unexpected));
  const decision = (
    path: string,
    endpoint: ServiceEndpoint,
    handler: (c: DecisionContext) => Promise<Response>,
  ) => {
    app.post(
      path,
      recordDecision(endpoint, deps),
      readDecisionRequest(endpoint, deps.settings),
      handler,
    );
    app.all(path, methodNotAllowed("POST"));
  };
  decision("/attest", "attest", attestRoute(deps));
  // RFC 9449 section 8.2: a nonce before the first proof (the header is set by the app).
  app.get("/nonce", (c) => c.body(null, 204, { "cache-control": "no-store" }));
  app.all("/nonce", methodNotAllowed("GET"));
  decision("/token", "token", sdkTokenRoute(deps));
  decision("/refresh", "refresh", sdkRefreshRoute(deps));
  return app;
}
