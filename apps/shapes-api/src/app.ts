import { HEADERS } from "@shapes/protocol";
import { approovToken } from "@shapes/verifier/hono";
import { Hono } from "hono";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import { pickShape } from "./shapes.js";

export interface ShapesApiConfig {
  /** The decoded account secret shared with attest (HS256 key of the Approov tokens). */
  secret: Uint8Array;
  /** Browser origins allowed by CORS (the web app). */
  webOrigins: string[];
  /** Source of randomness for the shape; Math.random by default. */
  random?: () => number;
}

const HELLO = "Hello, World!";

export function createApp(config: ShapesApiConfig) {
  const random = config.random ?? Math.random;
  const app = new Hono();

  app.use(
    "*",
    cors({
      origin: config.webOrigins,
      allowMethods: ["GET", "POST", "OPTIONS"],
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
  app.get("/v2/shapes", approovToken({ secret: config.secret }), (c) => {
    const shape = pickShape(random);
    return c.json({ shape, status: `${shape} (approoved)` });
  });

  app.notFound((c) => c.json({ status: "not found" }, 404));

  app.onError((error, c) => {
    if (error instanceof HTTPException && error.status < 500) {
      return c.json({ status: error.message || "bad request" }, error.status);
    }
    // Method, path and error only: headers (the token) are never logged.
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.error(`shapes-api: ${c.req.method} ${c.req.path} failed: ${detail}`);
    return c.json({ status: "internal error" }, 500);
  });

  return app;
}
