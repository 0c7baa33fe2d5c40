import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { type BrowserAssets, loadBrowserAssets } from "./browser-assets.js";
import { CHECKBOX_PAGE_HEADERS, SCRIPT_HEADERS } from "./browser-responses.js";
import { readExecuteRequest } from "./execute-request.js";
import { applyFaults, ConnectionResetFault } from "./faults/apply-faults.js";
import { FaultSwitches } from "./faults/fault-switches.js";
import { BotControl } from "./fingerprint/bot-control.js";
import { EventStore } from "./fingerprint/event-store.js";
import { FingerprintApiError } from "./fingerprint/fingerprint-error.js";
import { agentRoutes } from "./fingerprint/fingerprint-routes.js";
import { RateLimiter } from "./fingerprint/rate-limit.js";
import { FINGERPRINT_REGIONS, SERVER_API_BASES } from "./fingerprint/regions.js";
import { serverApi } from "./fingerprint/server-api.js";
import { VisitorIds } from "./fingerprint/visitor-id.js";
import { InputError } from "./input-error.js";
import { jsonBodyLimit } from "./json-body.js";
import { requestSocket } from "./node-socket.js";
import { newResponseKey, newResponseToken } from "./random-token.js";
import { recaptchaRoutes } from "./recaptcha/recaptcha-routes.js";
import { ScoreControl } from "./recaptcha/score-control.js";
import type { RecaptchaToken } from "./recaptcha/verify-recaptcha.js";
import { registrableHost } from "./registrable-host.js";
import { sandboxControlRoutes } from "./sandbox-control.js";
import { BadFormError, readSiteverifyForm } from "./siteverify-form.js";
import { dummyResponseFor } from "./test-keys.js";
import { TokenStore } from "./token-store.js";
import { turnstileRoutes } from "./turnstile/turnstile-routes.js";
import type { TurnstileToken } from "./turnstile/verify-turnstile.js";
import { failure, verifyResponse } from "./verify-response.js";

export interface SandboxConfig {
  /** Clock in ms since the epoch; injectable so tests reach expiry without sleeping. */
  now?: () => number;
  /** Most issued tokens remembered at once (default 100 000). */
  maxTokens?: number;
  /** Browser files; read from `browser/` when not given. */
  assets?: BrowserAssets;
  /** The `/__sandbox` control routes; off only when SANDBOX_CONTROL=0 (default true). */
  control?: boolean;
  /** Fingerprint Server API requests per second per secret key before 429 (default 20). */
  fingerprintRateLimit?: number;
  /** Most Fingerprint identification events remembered at once (default 100 000). */
  maxEvents?: number;
  /** HMAC key for visitor ids; a random one per process when not given. */
  visitorIdKey?: Uint8Array;
}

export const DEFAULT_FINGERPRINT_RATE_LIMIT = 20;

/** Request body bounds: both requests are a few short fields. */
export const EXECUTE_MAX_BYTES = 4 * 1024;
export const SITEVERIFY_MAX_BYTES = 16 * 1024;

/** Issued tokens are remembered this long, so late checks say "expired", not "invalid". */
const RETAIN_MS = 10 * 60_000;

const NO_STORE = { "Cache-Control": "no-store" };

/**
 * The offline stand-ins: hCaptcha (browser API, token issue, siteverify), reCAPTCHA and
 * Turnstile (the same three), Fingerprint (agent, identify, regional Server APIs), and the
 * `/__sandbox` test controls.
 */
export function createApp(config: SandboxConfig = {}) {
  const now = config.now ?? Date.now;
  const assets = config.assets ?? loadBrowserAssets();
  const maxTokens = config.maxTokens ?? 100_000;
  const store = new TokenStore({ maxEntries: maxTokens, retainMs: RETAIN_MS, now });
  const recaptchaStore = new TokenStore<RecaptchaToken>({
    maxEntries: maxTokens,
    retainMs: RETAIN_MS,
    now,
  });
  const turnstileStore = new TokenStore<TurnstileToken>({
    maxEntries: maxTokens,
    retainMs: RETAIN_MS,
    now,
  });
  const faults = new FaultSwitches();
  const scores = new ScoreControl();
  const bots = new BotControl();
  const events = new EventStore(config.maxEvents ?? 100_000);
  const limiter = new RateLimiter(
    config.fingerprintRateLimit ?? DEFAULT_FINGERPRINT_RATE_LIMIT,
    now,
  );

  const app = new Hono();
  const anyOrigin = cors({ origin: "*", allowMethods: ["GET", "POST"], maxAge: 600 });

  app.get("/healthz", (c) => c.json({ status: "ok" }));

  app.use("/1/api.js", anyOrigin);
  app.get("/1/api.js", (c) => c.body(assets.apiJs, 200, SCRIPT_HEADERS));
  app.get("/1/checkbox.html", (c) => c.body(assets.checkboxHtml, 200, CHECKBOX_PAGE_HEADERS));
  app.get("/1/checkbox.js", (c) => c.body(assets.checkboxJs, 200, SCRIPT_HEADERS));

  app.use("/1/execute", anyOrigin);
  app.post("/1/execute", jsonBodyLimit(EXECUTE_MAX_BYTES), async (c) => {
    const { sitekey, host } = await readExecuteRequest(c.req.raw);
    const key = newResponseKey();
    const dummy = dummyResponseFor(sitekey);
    if (dummy !== undefined) return c.json({ response: dummy, key }, 200, NO_STORE);
    const response = newResponseToken();
    store.add(response, {
      siteKey: sitekey,
      hostname: registrableHost(host),
      issuedAt: now(),
      respKey: key,
      seen: false,
    });
    return c.json({ response, key }, 200, NO_STORE);
  });

  app.post(
    "/siteverify",
    applyFaults("hcaptcha-siteverify", faults),
    // hCaptcha answers 200 with error codes, never an HTTP error, for a bad request.
    bodyLimit({
      maxSize: SITEVERIFY_MAX_BYTES,
      onError: (c) => c.json(failure("bad-request"), 200, NO_STORE),
    }),
    async (c) => {
      let fields: Awaited<ReturnType<typeof readSiteverifyForm>>;
      try {
        fields = await readSiteverifyForm(c.req.raw);
      } catch (error) {
        if (error instanceof BadFormError) return c.json(failure("bad-request"), 200, NO_STORE);
        throw error;
      }
      return c.json(verifyResponse(fields, store, now()), 200, NO_STORE);
    },
  );

  app.route(
    "/recaptcha",
    recaptchaRoutes({
      now,
      store: recaptchaStore,
      scores,
      faults,
      assets: {
        apiJs: assets.recaptchaApiJs,
        checkboxHtml: assets.recaptchaCheckboxHtml,
        checkboxJs: assets.recaptchaCheckboxJs,
      },
    }),
  );

  app.route(
    "/turnstile",
    turnstileRoutes({ now, store: turnstileStore, faults, apiJs: assets.turnstileApiJs }),
  );

  app.route(
    "/fingerprint",
    agentRoutes({
      now,
      events,
      bots,
      visitorIds: new VisitorIds(config.visitorIdKey),
      agentJs: assets.fingerprintAgentJs,
    }),
  );
  for (const region of FINGERPRINT_REGIONS) {
    app.route(SERVER_API_BASES[region], serverApi(region, { events, limiter, faults }));
  }

  app.route(
    "/__sandbox",
    sandboxControlRoutes({ enabled: config.control ?? true, faults, scores, bots }),
  );

  app.notFound((c) => c.json({ error: "not-found", message: "no such endpoint" }, 404));

  app.onError((error, c) => {
    if (error instanceof ConnectionResetFault) {
      // Over a socket it is already destroyed and nothing more is written; in-process
      // the error must reach the caller as a failed fetch.
      if (requestSocket(c)) return c.body(null, 500);
      throw error;
    }
    if (error instanceof FingerprintApiError) {
      const headers: Record<string, string> = { "Cache-Control": "no-store" };
      if (error.retryAfter !== undefined) headers["Retry-After"] = String(error.retryAfter);
      return c.json({ error: { code: error.code, message: error.message } }, error.status, headers);
    }
    if (error instanceof InputError) {
      return c.json({ error: error.code, message: error.message }, error.status, NO_STORE);
    }
    // Never echo internals: no message, no stack.
    console.error(`captcha-sandbox: unexpected ${error.name} on ${c.req.method} ${c.req.path}`);
    return c.json({ error: "internal-error", message: "internal error" }, 500);
  });

  return app;
}
