import type { ApproovErrorBody } from "@shapes/protocol";
import { HEADERS } from "@shapes/protocol";
import { MemoryReplayStore, type ReplayStore } from "@shapes/verifier";
import { Hono, type MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { Account } from "./account.js";
import { attestRoute } from "./attest-route.js";
import { type DecisionLog, stdoutDecisionLog } from "./decision-log.js";
import { deriveKey } from "./derive-key.js";
import { DpopNonces } from "./dpop-nonce.js";
import { TokenIssuer } from "./issue-token.js";
import { RefreshTokens } from "./refresh-token.js";
import { sdkRefreshRoute } from "./sdk-refresh-route.js";
import { DEFAULT_SDK_SETTINGS, type SdkSettings } from "./sdk-settings.js";
import { type SdkRouteDeps, sdkTokenRoute } from "./sdk-token-route.js";
import type { AttestSettings } from "./settings.js";

export interface AppConfig {
  /** The loaded account (see account-store.ts). */
  account: Account;
  settings: AttestSettings;
  /** SDK protocol settings (nonces, proofs); defaults as documented. */
  sdk?: SdkSettings;
  /** Where used DPoP proofs are remembered; in memory (REPLAY_CACHE_MAX) by default. */
  replay?: ReplayStore;
  /** Milliseconds since the epoch; injectable so tests control token times. */
  now?: () => number;
  /** Where decision log lines go (stdout by default). */
  log?: DecisionLog;
}

const errorBody = (message: string): ApproovErrorBody => ({ message, errors: {} });

/** The SDK endpoints: each answer (success or error) carries a fresh server nonce. */
const SDK_PATHS = new Set(["/token", "/refresh"]);

/** CORS for WEB_ORIGIN; the SDK endpoints also expose what the SDK reads. */
function corsPolicy(webOrigins: string[]): MiddlewareHandler {
  const options = {
    origin: webOrigins,
    allowMethods: ["POST", "OPTIONS"],
    allowHeaders: ["Content-Type", HEADERS.dpop],
    maxAge: 600,
  };
  const plain = cors({ ...options, exposeHeaders: [HEADERS.dpopNonce] });
  const sdk = cors({ ...options, exposeHeaders: [HEADERS.dpopNonce, HEADERS.wwwAuthenticate] });
  return (c, next) => (SDK_PATHS.has(c.req.path) ? sdk(c, next) : plain(c, next));
}

/** The attest service as a Hono app (pure: no listening, no file system). */
export function createApp(config: AppConfig): Hono {
  const app = new Hono();
  const now = config.now ?? Date.now;
  const sdk = config.sdk ?? DEFAULT_SDK_SETTINGS;
  const { account } = config;
  const nonces = new DpopNonces(
    deriveKey(account.secret, "dpopNonce"),
    sdk.dpopNonceLifetimeSeconds,
    now,
  );
  const deps: SdkRouteDeps = {
    account,
    settings: config.settings,
    issuer: new TokenIssuer(account.secret),
    now,
    log: config.log ?? stdoutDecisionLog,
    proof: {
      sdk,
      nonces,
      replay: config.replay ?? new MemoryReplayStore({ maxEntries: sdk.replayCacheMax, now }),
      now,
    },
    refreshTokens: new RefreshTokens(deriveKey(account.secret, "refreshToken"), now),
  };

  app.use("*", corsPolicy(config.settings.webOrigins));
  app.use("*", async (c, next) => {
    await next();
    // After the handler, so that the nonce is issued as late as possible.
    if (SDK_PATHS.has(c.req.path) && c.req.method !== "OPTIONS") {
      c.res.headers.set(HEADERS.dpopNonce, nonces.issue());
    }
  });

  app.get("/healthz", (c) => c.json({ status: "ok" }));

  const methodNotAllowed = (c: Parameters<MiddlewareHandler>[0]) =>
    c.json(errorBody("Method Not Allowed"), 405, { allow: "POST" });
  app.post("/attest", attestRoute(deps));
  app.all("/attest", methodNotAllowed);
  app.post("/token", sdkTokenRoute(deps));
  app.all("/token", methodNotAllowed);
  app.post("/refresh", sdkRefreshRoute(deps));
  app.all("/refresh", methodNotAllowed);

  app.notFound((c) => c.json(errorBody("Not Found"), 404));
  app.onError((error, c) => {
    // The name only: messages could echo request data; no stack ever reaches the client.
    console.error(`attest: unexpected ${error.name}`);
    return c.json(errorBody("Internal Server Error"), 500);
  });
  return app;
}
