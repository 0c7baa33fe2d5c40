import { setTimeout as sleep } from "node:timers/promises";
import type { Context, MiddlewareHandler } from "hono";
import { requestSocket } from "../node-socket.js";
import type { FaultSwitches, FaultTarget } from "./fault-switches.js";

/**
 * Thrown for a `reset` fault. Over a real socket the connection is already destroyed;
 * in-process (`app.request()`) the error propagates out of `fetch`, which is what a
 * client sees as a connection error there.
 */
export class ConnectionResetFault extends Error {
  override name = "ConnectionResetFault";
  readonly code = "connection-reset";
}

/** A 200 answer that is not JSON: the start of each upstream's real answer, cut short. */
const MALFORMED_BODY: Record<FaultTarget, string> = {
  "hcaptcha-siteverify": '{"success": tru',
  "recaptcha-siteverify": '{"success": tru',
  "turnstile-siteverify": '{"success": tru',
  "fingerprint-api": '{"products": {"identification": {"data": {"visitorId": "',
};

/** Fingerprint's error codes for the statuses its Server API uses. */
const FINGERPRINT_CODES: Record<number, string> = {
  400: "RequestCannotBeParsed",
  403: "TokenNotFound",
  404: "RequestNotFound",
  429: "TooManyRequests",
};

function statusAnswer(c: Context, target: FaultTarget, status: number): Response {
  const message = `injected fault: HTTP ${status}`;
  const headers: Record<string, string> = { "Cache-Control": "no-store" };
  if (status === 429) headers["Retry-After"] = "1";
  const body =
    target === "fingerprint-api"
      ? { error: { code: FINGERPRINT_CODES[status] ?? "Failed", message } }
      : { error: "sandbox-fault", message };
  return c.json(body, status as 400, headers);
}

/** Runs before an upstream endpoint's handler and applies the fault set on `target`. */
export function applyFaults(target: FaultTarget, faults: FaultSwitches): MiddlewareHandler {
  return async (c, next) => {
    const fault = faults.take(target);
    if (fault === undefined) return next();
    switch (fault.mode) {
      case "slow":
        await sleep(fault.delayMs);
        return next();
      case "status":
        return statusAnswer(c, target, fault.status);
      case "malformed":
        return c.body(MALFORMED_BODY[target], 200, {
          "Content-Type": "application/json",
          "Cache-Control": "no-store",
        });
      case "reset":
        requestSocket(c)?.destroy();
        throw new ConnectionResetFault("connection reset by a sandbox fault");
    }
  };
}
