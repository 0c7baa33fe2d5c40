import type { ApproovErrorBody } from "@shapes/protocol";
import { HEADERS } from "@shapes/protocol";
import type { ReplayStore } from "@shapes/verifier";
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { Account } from "../account/account.js";
import { AccountHolder } from "../account/account-holder.js";
import { type AdminLog, adminLogTo, adminRoutes } from "../admin/admin-routes.js";
import { decisionApp } from "../endpoints/decision-app.js";
import type { SdkRouteDeps } from "../endpoints/sdk-token-route.js";
import type { ActivityBuckets } from "../observability/activity-buckets/activity-buckets.js";
import { memoryActivityBuckets } from "../observability/activity-buckets/open-activity-buckets.js";
import { type DecisionLog, decisionLogTo } from "../observability/decision-log.js";
import { type LogWriter, logLine, stdoutLogWriter } from "../observability/log-line.js";
import { AttestMetrics } from "../observability/metrics.js";
import { metricsRoutes } from "../observability/metrics-route.js";
import { DpopNonces } from "../sdk/dpop-nonce.js";
import { DEFAULT_SDK_SETTINGS, type SdkSettings } from "../sdk/sdk-settings.js";
import { createSessionProof } from "../sdk/session-proof.js";
import type { AttestSettings } from "../settings.js";
import { MemorySharedStore } from "../shared-state/memory-store.js";
import type { SharedStore } from "../shared-state/shared-store.js";
import { accessLog } from "./access-log.js";
import { requestId, requestIdOf } from "./request-id.js";

export interface AppConfig {
  /**
   * The account: a holder (the service: admin changes are persisted through it), or a
   * plain account (kept in memory only; admin changes are lost at exit).
   */
  account: Account | AccountHolder;
  /** The admin API's bearer key (admin.key); without it every admin request is refused. */
  adminKey?: string;
  settings: AttestSettings;
  /** SDK protocol settings (nonces, proofs); defaults as documented. */
  sdk?: SdkSettings;
  /**
   * Replay cache and rate limits (and, through the account holder, the account) shared
   * with other instances: the Redis store with REDIS_URL. By default this process's own
   * memory (REPLAY_CACHE_MAX proofs).
   */
  shared?: SharedStore;
  /** Where used DPoP proofs are remembered, instead of `shared` (tests). */
  replay?: ReplayStore;
  /** Milliseconds since the epoch; injectable so tests control token times. */
  now?: () => number;
  /** Where every structured log line goes (stdout by default): access, errors, and the two below. */
  logWriter?: LogWriter;
  /** Where decision log entries go (by default: `logWriter`, level info). */
  log?: DecisionLog;
  /** Where admin request entries go (by default: `logWriter`, level info). */
  adminLog?: AdminLog;
  /** Node process metrics on this app's registry (the service turns them on; see metrics.ts). */
  processMetrics?: boolean;
  /** The persisted activity buckets (main.ts opens them); by default in this process's memory. */
  activity?: ActivityBuckets;
}

const errorBody = (message: string): ApproovErrorBody => ({ message, errors: {} });

/**
 * The SDK endpoints: each answer (success or error) carries a fresh server nonce. GET
 * /nonce only hands one out (RFC 9449 section 8.2), so a session's first proof can carry
 * a nonce instead of being refused once for lack of it (a red 400 in every console).
 */
const SDK_PATHS = new Set(["/nonce", "/token", "/refresh"]);

/** The admin API and /metrics: no CORS at all, browsers must not call them. */
const isOperatorPath = (path: string) =>
  path === "/admin" || path.startsWith("/admin/") || path === "/metrics";

/** CORS for WEB_ORIGIN (not on operator paths); the SDK endpoints expose what the SDK reads. */
function corsPolicy(webOrigins: string[]): MiddlewareHandler {
  const options = {
    origin: webOrigins,
    allowMethods: ["GET", "POST", "OPTIONS"],
    allowHeaders: ["Content-Type", HEADERS.dpop],
    maxAge: 600,
  };
  const plain = cors({ ...options, exposeHeaders: [HEADERS.dpopNonce] });
  const sdk = cors({ ...options, exposeHeaders: [HEADERS.dpopNonce, HEADERS.wwwAuthenticate] });
  return (c, next) => {
    if (isOperatorPath(c.req.path)) return next();
    return SDK_PATHS.has(c.req.path) ? sdk(c, next) : plain(c, next);
  };
}

/** The attest service as a Hono app (pure: no listening, no file system). */
export function createApp(config: AppConfig): Hono {
  const app = new Hono();
  const now = config.now ?? Date.now;
  const sdk = config.sdk ?? DEFAULT_SDK_SETTINGS;
  const store =
    config.account instanceof AccountHolder
      ? config.account
      : new AccountHolder(config.account, { now });
  const write = config.logWriter ?? stdoutLogWriter;
  const activity = config.activity ?? memoryActivityBuckets(now, write);
  const metrics = new AttestMetrics({
    now,
    activity,
    isRegisteredApi: (domain) => Object.hasOwn(store.get().account.apis, domain),
    processMetrics: config.processMetrics ?? false,
  });
  // The current account's key: the same on every instance of the account, and following a
  // new account adopted from the shared store.
  const nonces = new DpopNonces(() => store.get().nonceKey, sdk.dpopNonceLifetimeSeconds, now);
  const shared =
    config.shared ?? new MemorySharedStore({ replayCacheMax: sdk.replayCacheMax, now });
  const deps: SdkRouteDeps = {
    store,
    settings: config.settings,
    limiter: shared,
    now,
    log: config.log ?? decisionLogTo(write),
    metrics,
    proof: createSessionProof({
      sdk,
      nonces,
      replay: config.replay ?? shared,
      now,
    }),
  };

  // First: every answer, CORS refusals and errors included, carries the id and is logged.
  app.use("*", requestId());
  app.use("*", accessLog(write, now));
  app.use("*", corsPolicy(config.settings.webOrigins));
  app.use("*", async (c, next) => {
    await next();
    // After the handler, so that the nonce is issued as late as possible.
    if (SDK_PATHS.has(c.req.path) && c.req.method !== "OPTIONS") {
      c.res.headers.set(HEADERS.dpopNonce, nonces.issue());
    }
  });

  app.get("/healthz", async (c) => {
    if (shared.kind === "memory") return c.json({ status: "ok" });
    // Down, or up but the account not loaded from it yet: take this instance out.
    if ((await shared.health()) === "up" && store.synced) {
      return c.json({ status: "ok", redis: "up" });
    }
    return c.json({ status: "degraded", redis: "down" }, 503, { "cache-control": "no-store" });
  });
  app.route("/metrics", metricsRoutes(metrics, config.settings.metricsToken));

  const unexpected = (error: Error, c: Context) => {
    // The name only: messages could echo request data; no stack ever reaches the client.
    write(logLine(now(), "error", "unexpected error", requestIdOf(c), { error: error.name }));
    return c.json(errorBody("Internal Server Error"), 500);
  };
  const methodNotAllowed = (allow: string) => (c: Context) =>
    c.json(errorBody("Method Not Allowed"), 405, { allow });
  app.route("/", decisionApp(deps, unexpected, methodNotAllowed));

  app.route(
    "/admin/v1",
    adminRoutes({
      store,
      adminKey: config.adminKey,
      bodyTimeoutMs: config.settings.bodyTimeoutMs,
      now,
      log: config.adminLog ?? adminLogTo(write),
      write,
      summary: () => metrics.summary(),
      activity,
      metricsToken: config.settings.metricsToken,
    }),
  );

  app.notFound((c) => c.json(errorBody("Not Found"), 404));
  app.onError(unexpected);
  return app;
}
