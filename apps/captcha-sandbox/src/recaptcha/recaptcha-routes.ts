import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { CHECKBOX_PAGE_HEADERS, SCRIPT_HEADERS } from "../browser-responses.js";
import { applyFaults } from "../faults/apply-faults.js";
import type { FaultSwitches } from "../faults/fault-switches.js";
import { jsonBodyLimit } from "../json-body.js";
import { newRecaptchaToken } from "../random-token.js";
import { BadFormError, readSiteverifyForm } from "../siteverify-form.js";
import type { TokenStore } from "../token-store.js";
import { readRecaptchaExecute } from "./execute-request.js";
import type { ScoreControl } from "./score-control.js";
import { type RecaptchaToken, recaptchaFailure, verifyRecaptcha } from "./verify-recaptcha.js";

export const RECAPTCHA_EXECUTE_MAX_BYTES = 4 * 1024;
export const RECAPTCHA_SITEVERIFY_MAX_BYTES = 16 * 1024;

const NO_STORE = { "Cache-Control": "no-store" };

export interface RecaptchaDeps {
  now: () => number;
  store: TokenStore<RecaptchaToken>;
  scores: ScoreControl;
  faults: FaultSwitches;
  assets: { apiJs: string; checkboxHtml: string; checkboxJs: string };
}

/** The reCAPTCHA stand-in, mounted at `/recaptcha`. */
export function recaptchaRoutes(deps: RecaptchaDeps) {
  const routes = new Hono();
  const anyOrigin = cors({ origin: "*", allowMethods: ["GET", "POST"], maxAge: 600 });

  routes.use("/api.js", anyOrigin);
  routes.get("/api.js", (c) => c.body(deps.assets.apiJs, 200, SCRIPT_HEADERS));
  routes.get("/checkbox.html", (c) => c.body(deps.assets.checkboxHtml, 200, CHECKBOX_PAGE_HEADERS));
  routes.get("/checkbox.js", (c) => c.body(deps.assets.checkboxJs, 200, SCRIPT_HEADERS));

  routes.use("/api2/execute", anyOrigin);
  routes.post("/api2/execute", jsonBodyLimit(RECAPTCHA_EXECUTE_MAX_BYTES), async (c) => {
    const { sitekey, action, host, kind } = await readRecaptchaExecute(c.req.raw);
    const token = newRecaptchaToken();
    deps.store.add(token, {
      siteKey: sitekey,
      hostname: host,
      issuedAt: deps.now(),
      kind,
      action,
      score: kind === "v3" ? deps.scores.scoreFor(sitekey) : 0,
      seen: false,
    });
    return c.json({ token }, 200, NO_STORE);
  });

  routes.post(
    "/api/siteverify",
    applyFaults("recaptcha-siteverify", deps.faults),
    // Google answers 200 with error codes, never an HTTP error, for a bad request.
    bodyLimit({
      maxSize: RECAPTCHA_SITEVERIFY_MAX_BYTES,
      onError: (c) => c.json(recaptchaFailure("bad-request"), 200, NO_STORE),
    }),
    async (c) => {
      let fields: Awaited<ReturnType<typeof readSiteverifyForm>>;
      try {
        fields = await readSiteverifyForm(c.req.raw);
      } catch (error) {
        if (error instanceof BadFormError)
          return c.json(recaptchaFailure("bad-request"), 200, NO_STORE);
        throw error;
      }
      return c.json(verifyRecaptcha(fields, deps.store, deps.now()), 200, NO_STORE);
    },
  );

  return routes;
}
