import { Hono } from "hono";
import { readFaultSetting } from "./faults/fault-request.js";
import type { FaultSwitches } from "./faults/fault-switches.js";
import { type BotControl, readBotSetting } from "./fingerprint/bot-control.js";
import { InputError } from "./input-error.js";
import { jsonBodyLimit, readJsonObject } from "./json-body.js";
import { readScoreSetting, type ScoreControl } from "./recaptcha/score-control.js";

/** Control bodies are a few short fields. */
export const CONTROL_MAX_BYTES = 4 * 1024;

const NO_STORE = { "Cache-Control": "no-store" };

export interface ControlDeps {
  /** False when SANDBOX_CONTROL=0: every control route is refused. */
  enabled: boolean;
  faults: FaultSwitches;
  scores: ScoreControl;
  bots: BotControl;
}

/**
 * Test controls, mounted at `/__sandbox`: fault switches, reCAPTCHA scores, Fingerprint
 * bot results. They let anyone who can reach the sandbox change its answers, which is
 * the point of a sandbox and the reason it must never stand in for a real service.
 */
export function sandboxControlRoutes(deps: ControlDeps) {
  const routes = new Hono();

  routes.use("*", async (_c, next) => {
    if (!deps.enabled) {
      throw new InputError(
        "control-disabled",
        "sandbox control routes are disabled (SANDBOX_CONTROL=0)",
        403,
      );
    }
    await next();
  });
  routes.use("*", jsonBodyLimit(CONTROL_MAX_BYTES));

  const listFaults = () => ({ faults: deps.faults.list() });

  routes.get("/faults", (c) => c.json(listFaults(), 200, NO_STORE));
  routes.delete("/faults", (c) => {
    deps.faults.clear();
    return c.json(listFaults(), 200, NO_STORE);
  });
  routes.post("/faults", async (c) => {
    const setting = readFaultSetting(await readJsonObject(c.req.raw));
    if (setting.mode === "off") deps.faults.off(setting.target);
    else deps.faults.set(setting.target, setting.fault, setting.times);
    return c.json(listFaults(), 200, NO_STORE);
  });

  routes.post("/recaptcha/score", async (c) => {
    const { siteKey, score } = readScoreSetting(await readJsonObject(c.req.raw));
    deps.scores.set(siteKey, score);
    return c.json({ siteKey, score: deps.scores.scoreFor(siteKey) }, 200, NO_STORE);
  });

  routes.post("/fingerprint/bot", async (c) => {
    const { visitorId, result } = readBotSetting(await readJsonObject(c.req.raw));
    deps.bots.set(visitorId, result);
    return c.json({ visitorId, result: deps.bots.resultFor(visitorId) }, 200, NO_STORE);
  });

  return routes;
}
