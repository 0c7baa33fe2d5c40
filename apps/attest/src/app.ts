import type { ApproovErrorBody } from "@shapes/protocol";
import { HEADERS } from "@shapes/protocol";
import { Hono } from "hono";
import { cors } from "hono/cors";
import type { Account } from "./account.js";
import { attestRoute } from "./attest-route.js";
import { type DecisionLog, stdoutDecisionLog } from "./decision-log.js";
import { TokenIssuer } from "./issue-token.js";
import type { AttestSettings } from "./settings.js";

export interface AppConfig {
  /** The loaded account (see account-store.ts). */
  account: Account;
  settings: AttestSettings;
  /** Milliseconds since the epoch; injectable so tests control token times. */
  now?: () => number;
  /** Where decision log lines go (stdout by default). */
  log?: DecisionLog;
}

const errorBody = (message: string): ApproovErrorBody => ({ message, errors: {} });

/** The attest service as a Hono app (pure: no listening, no file system). */
export function createApp(config: AppConfig): Hono {
  const app = new Hono();
  const issuer = new TokenIssuer(config.account.secret);

  app.use(
    "*",
    cors({
      origin: config.settings.webOrigins,
      allowMethods: ["POST", "OPTIONS"],
      allowHeaders: ["Content-Type", HEADERS.dpop],
      exposeHeaders: [HEADERS.dpopNonce],
      maxAge: 600,
    }),
  );

  app.get("/healthz", (c) => c.json({ status: "ok" }));

  app.post(
    "/attest",
    attestRoute({
      account: config.account,
      settings: config.settings,
      issuer,
      now: config.now ?? Date.now,
      log: config.log ?? stdoutDecisionLog,
    }),
  );
  app.all("/attest", (c) => c.json(errorBody("Method Not Allowed"), 405, { allow: "POST" }));

  app.notFound((c) => c.json(errorBody("Not Found"), 404));
  app.onError((error, c) => {
    // The name only: messages could echo request data; no stack ever reaches the client.
    console.error(`attest: unexpected ${error.name}`);
    return c.json(errorBody("Internal Server Error"), 500);
  });
  return app;
}
