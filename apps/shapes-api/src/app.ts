import { HEADERS } from "@shapes/protocol";
import { createApproovTokenVerifier, MemoryReplayStore, type ReplayStore } from "@shapes/verifier";
import { approovToken, approovTokenBinding, dpopProof } from "@shapes/verifier/hono";
import { type Context, Hono } from "hono";
import { cors } from "hono/cors";
import { pickShape } from "./shapes.js";

export interface ShapesApiConfig {
  /** The decoded account secret shared with attest (HS256 key of the Approov tokens). */
  secret: Uint8Array;
  /** The decoded 32-byte account encryption secret (JWE tokens); unset = JWEs refused. */
  encryptionSecret?: Uint8Array;
  /** The origin browsers call when a TLS proxy sits in front: DPoP `htu` uses it. */
  publicOrigin?: string;
  /** Browser origins allowed by CORS (the web app). */
  webOrigins: string[];
  /** Source of randomness for the shape; Math.random by default. */
  random?: () => number;
  /** Where used DPoP proofs and nonces are remembered; a bounded in-memory store by default. */
  replay?: ReplayStore;
  /** Clock in ms for the DPoP checks (tests); Date.now by default. */
  now?: () => number;
}

const HELLO = "Hello, World!";

export function createApp(config: ShapesApiConfig) {
  const random = config.random ?? Math.random;
  // One verifier for every route: the keys are imported once and the cache is shared.
  const verify = createApproovTokenVerifier({
    secret: config.secret,
    ...(config.encryptionSecret ? { encryptionSecret: config.encryptionSecret } : {}),
  });
  const token = approovToken({ verify });
  const app = new Hono();
  const approovedShape = (c: Context) => {
    const shape = pickShape(random);
    return c.json({ shape, status: `${shape} (approoved)` });
  };

  app.use(
    "*",
    cors({
      origin: config.webOrigins,
      allowMethods: ["GET", "OPTIONS"],
      allowHeaders: [HEADERS.approovToken, HEADERS.dpop, "Authorization", "Content-Type"],
      // The SDK reads these on error answers and for DPoP nonces.
      exposeHeaders: ["WWW-Authenticate", HEADERS.dpopNonce],
      maxAge: 600,
    }),
  );

  app.get("/healthz", (c) => c.json({ status: "ok" }));

  app.get("/v1/hello", (c) => c.json({ text: HELLO, status: HELLO }));
  app.get("/v1/shapes", (c) => {
    const shape = pickShape(random);
    return c.json({ shape, status: shape });
  });

  app.get("/v2/hello", (c) => c.json({ text: HELLO, status: `${HELLO} (healthy)` }));
  app.get("/v2/shapes", token, approovedShape);
  // Token binding: `pay` must be the hash of the Authorization header.
  app.get("/v2/bound/shapes", token, approovTokenBinding(), approovedShape);
  // Token + DPoP proof of the session key the token was issued to (+ message hash).
  app.get(
    "/v2/dpop/shapes",
    token,
    dpopProof({
      replay: config.replay ?? new MemoryReplayStore(),
      ...(config.publicOrigin ? { publicOrigin: config.publicOrigin } : {}),
      ...(config.now ? { now: config.now } : {}),
    }),
    approovedShape,
  );
  // A critical endpoint: tokens from the mobile channel only (seed recommendation).
  app.get("/v2/mobile/shapes", approovToken({ verify, channel: "mobile" }), approovedShape);

  app.notFound((c) => c.json({ status: "not found" }, 404));

  app.onError((error, c) => {
    // Method, path and error only: headers (the token) are never logged.
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.error(`shapes-api: ${c.req.method} ${c.req.path} failed: ${detail}`);
    return c.json({ status: "internal error" }, 500);
  });

  return app;
}
