import { randomBytes } from "node:crypto";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { SCRIPT_HEADERS } from "../browser-responses.js";
import { applyFaults } from "../faults/apply-faults.js";
import type { FaultSwitches } from "../faults/fault-switches.js";
import { jsonBodyLimit } from "../json-body.js";
import { BadFormError, readSiteverifyForm } from "../siteverify-form.js";
import type { TokenStore } from "../token-store.js";
import { readTurnstileExecute } from "./execute-request.js";
import { BLOCKING_SITEKEYS, DUMMY_TOKEN, PASSING_SITEKEYS } from "./turnstile-keys.js";
import {
  type TurnstileResult,
  type TurnstileToken,
  type TurnstileVerifyFields,
  turnstileFailure,
  verifyTurnstile,
} from "./verify-turnstile.js";

export const TURNSTILE_EXECUTE_MAX_BYTES = 4 * 1024;
export const TURNSTILE_SITEVERIFY_MAX_BYTES = 16 * 1024;

const NO_STORE = { "Cache-Control": "no-store" };
const FIELDS = ["secret", "response", "remoteip", "idempotency_key"] as const;

export interface TurnstileDeps {
  now: () => number;
  store: TokenStore<TurnstileToken>;
  faults: FaultSwitches;
  apiJs: string;
}

/** A widget token in Cloudflare's style: "0." + random base64url, well under 2048 characters. */
const newTurnstileToken = () => `0.${randomBytes(180).toString("base64url")}`;

/** siteverify takes a form or a JSON body with the same fields; anything else is bad-request. */
async function readFields(request: Request): Promise<TurnstileVerifyFields | undefined> {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") {
    try {
      return await readSiteverifyForm(request);
    } catch (error) {
      if (error instanceof BadFormError) return undefined;
      throw error;
    }
  }
  let body: unknown;
  try {
    body = JSON.parse(await request.text());
  } catch {
    return undefined;
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  const fields: TurnstileVerifyFields = {};
  for (const name of FIELDS) {
    const value = (body as Record<string, unknown>)[name];
    if (value === undefined) continue;
    if (typeof value !== "string") return undefined;
    fields[name] = value;
  }
  return fields;
}

/**
 * The Turnstile stand-in, mounted at `/turnstile`: `/v0/api.js` (Cloudflare's browser API),
 * `/v0/execute` (the sandbox's own: a widget's token) and `/v0/siteverify`.
 */
export function turnstileRoutes(deps: TurnstileDeps) {
  const routes = new Hono();
  const anyOrigin = cors({ origin: "*", allowMethods: ["GET", "POST"], maxAge: 600 });
  const remembered = new Map<string, TurnstileResult>();

  routes.use("/v0/api.js", anyOrigin);
  routes.get("/v0/api.js", (c) => c.body(deps.apiJs, 200, SCRIPT_HEADERS));

  routes.use("/v0/execute", anyOrigin);
  routes.post("/v0/execute", jsonBodyLimit(TURNSTILE_EXECUTE_MAX_BYTES), async (c) => {
    const { sitekey, host, action, cdata } = await readTurnstileExecute(c.req.raw);
    // The testing sitekeys: a dummy token, or a failed challenge (the widget's error).
    if (PASSING_SITEKEYS.has(sitekey)) return c.json({ token: DUMMY_TOKEN }, 200, NO_STORE);
    if (BLOCKING_SITEKEYS.has(sitekey)) {
      return c.json({ error: "challenge-failed", code: "600010" }, 403, NO_STORE);
    }
    const token = newTurnstileToken();
    deps.store.add(token, {
      siteKey: sitekey,
      hostname: host,
      issuedAt: deps.now(),
      action,
      cdata,
      seen: false,
    });
    return c.json({ token }, 200, NO_STORE);
  });

  routes.post(
    "/v0/siteverify",
    applyFaults("turnstile-siteverify", deps.faults),
    // Cloudflare answers 200 with error codes for a bad request, as the others do.
    bodyLimit({
      maxSize: TURNSTILE_SITEVERIFY_MAX_BYTES,
      onError: (c) => c.json(turnstileFailure("bad-request"), 200, NO_STORE),
    }),
    async (c) => {
      const fields = await readFields(c.req.raw);
      if (fields === undefined) return c.json(turnstileFailure("bad-request"), 200, NO_STORE);
      return c.json(verifyTurnstile(fields, deps.store, remembered, deps.now()), 200, NO_STORE);
    },
  );

  return routes;
}
