import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { type BrowserAssets, loadBrowserAssets } from "./browser-assets.js";
import { ExecuteInputError, readExecuteRequest } from "./execute-request.js";
import { newResponseKey, newResponseToken } from "./random-token.js";
import { registrableHost } from "./registrable-host.js";
import { BadFormError, readSiteverifyForm } from "./siteverify-form.js";
import { dummyResponseFor } from "./test-keys.js";
import { TokenStore } from "./token-store.js";
import { failure, TOKEN_TTL_MS, verifyResponse } from "./verify-response.js";

export interface SandboxConfig {
  /** Clock in ms since the epoch; injectable so tests reach expiry without sleeping. */
  now?: () => number;
  /** Most issued tokens remembered at once (default 100 000). */
  maxTokens?: number;
  /** Browser files; read from `browser/` when not given. */
  assets?: BrowserAssets;
}

/** Request body bounds: both requests are a few short fields. */
export const EXECUTE_MAX_BYTES = 4 * 1024;
export const SITEVERIFY_MAX_BYTES = 16 * 1024;

/** Issued tokens are remembered this long, so late checks say "expired", not "invalid". */
const RETAIN_MS = 10 * 60_000;

const NO_STORE = { "Cache-Control": "no-store" };

/** The iframe runs only its own script and talks only to its own origin. */
const CHECKBOX_CSP =
  "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/** The offline hCaptcha stand-in: browser API, token issue, and siteverify. */
export function createApp(config: SandboxConfig = {}) {
  const now = config.now ?? Date.now;
  const assets = config.assets ?? loadBrowserAssets();
  const store = new TokenStore({
    maxEntries: config.maxTokens ?? 100_000,
    retainMs: RETAIN_MS,
    now,
  });

  const app = new Hono();
  const anyOrigin = cors({ origin: "*", allowMethods: ["GET", "POST"], maxAge: 600 });

  app.get("/healthz", (c) => c.json({ status: "ok" }));

  app.use("/1/api.js", anyOrigin);
  app.get("/1/api.js", (c) =>
    c.body(assets.apiJs, 200, {
      ...NO_STORE,
      "Content-Type": "application/javascript; charset=utf-8",
      "X-Content-Type-Options": "nosniff",
    }),
  );

  app.get("/1/checkbox.html", (c) =>
    c.body(assets.checkboxHtml, 200, {
      ...NO_STORE,
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": CHECKBOX_CSP,
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
    }),
  );

  app.get("/1/checkbox.js", (c) =>
    c.body(assets.checkboxJs, 200, {
      ...NO_STORE,
      "Content-Type": "application/javascript; charset=utf-8",
      "X-Content-Type-Options": "nosniff",
    }),
  );

  app.use("/1/execute", anyOrigin);
  app.post(
    "/1/execute",
    bodyLimit({
      maxSize: EXECUTE_MAX_BYTES,
      onError: () => {
        throw new ExecuteInputError(
          "body-too-large",
          `body exceeds ${EXECUTE_MAX_BYTES} bytes`,
          413,
        );
      },
    }),
    async (c) => {
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
    },
  );

  app.post(
    "/siteverify",
    // hCaptcha answers 200 with error codes, never an HTTP error, for a bad request.
    bodyLimit({ maxSize: SITEVERIFY_MAX_BYTES, onError: (c) => c.json(failure("bad-request")) }),
    async (c) => {
      const fields = await readSiteverifyForm(c.req.raw);
      return c.json(verifyResponse(fields, store, now()), 200, NO_STORE);
    },
  );

  app.notFound((c) => c.json({ error: "not-found", message: "no such endpoint" }, 404));

  app.onError((error, c) => {
    if (error instanceof ExecuteInputError) {
      return c.json({ error: error.code, message: error.message }, error.status, NO_STORE);
    }
    if (error instanceof BadFormError) return c.json(failure("bad-request"), 200, NO_STORE);
    // Never echo internals: no message, no stack.
    console.error(`captcha-sandbox: unexpected ${error.name} on ${c.req.method} ${c.req.path}`);
    return c.json({ error: "internal-error", message: "internal error" }, 500);
  });

  return app;
}

export { TOKEN_TTL_MS };
