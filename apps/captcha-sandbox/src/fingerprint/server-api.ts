import { Hono } from "hono";
import { applyFaults } from "../faults/apply-faults.js";
import type { FaultSwitches } from "../faults/fault-switches.js";
import { eventAnswer, visitAnswer } from "./event-answers.js";
import type { EventStore } from "./event-store.js";
import { FingerprintApiError } from "./fingerprint-error.js";
import type { RateLimiter } from "./rate-limit.js";
import type { FingerprintRegion } from "./regions.js";

/** What a Fingerprint secret API key looks like (real ones are 20 alphanumerics). */
export const FINGERPRINT_SECRET_FORMAT = /^[A-Za-z0-9]{20,128}$/;

/** `GET /visitors/{id}` answers at most this many visits (and this many by default). */
export const MAX_VISITS = 100;

const NO_STORE = { "Cache-Control": "no-store" };

export interface ServerApiDeps {
  events: EventStore;
  limiter: RateLimiter;
  faults: FaultSwitches;
}

/**
 * The sandbox has no accounts, so there is no stored secret to compare with: any
 * well-formed secret is accepted, for any public key.
 */
function checkSecret(secret: string | undefined): string {
  if (secret === undefined || !FINGERPRINT_SECRET_FORMAT.test(secret)) {
    throw new FingerprintApiError(403, "TokenNotFound", "secret key is not found");
  }
  return secret;
}

/** One region's Server API v3 (`/events/{requestId}`, `/visitors/{visitorId}`). */
export function serverApi(region: FingerprintRegion, deps: ServerApiDeps) {
  const api = new Hono();
  api.use("*", applyFaults("fingerprint-api", deps.faults));
  api.use("*", async (c, next) => {
    const secret = checkSecret(c.req.header("Auth-API-Key"));
    const retryAfter = deps.limiter.take(secret);
    if (retryAfter !== undefined) {
      throw new FingerprintApiError(
        429,
        "TooManyRequests",
        "too many requests, rate limit exceeded",
        retryAfter,
      );
    }
    await next();
  });

  api.get("/events/:requestId", (c) => {
    const event = deps.events.get(c.req.param("requestId"));
    // An event of another region is not found there, as with the real regional APIs.
    if (event === undefined || event.region !== region) {
      throw new FingerprintApiError(404, "RequestNotFound", "request id not found");
    }
    const replayed = event.fetched;
    event.fetched = true;
    return c.json(eventAnswer(event, replayed), 200, NO_STORE);
  });

  api.get("/visitors/:visitorId", (c) => {
    const visitorId = c.req.param("visitorId");
    const requestId = c.req.query("request_id");
    const linkedId = c.req.query("linked_id");
    const limitText = c.req.query("limit");
    const limit = limitText === undefined ? MAX_VISITS : Number(limitText);
    if (
      !/^\d+$/.test(limitText ?? "1") ||
      !Number.isInteger(limit) ||
      limit < 1 ||
      limit > MAX_VISITS
    ) {
      throw new FingerprintApiError(
        400,
        "RequestCannotBeParsed",
        `limit must be a whole number from 1 to ${MAX_VISITS}`,
      );
    }
    // As the real API: an unknown visitor or request id is 200 with no visits.
    const visits = deps.events
      .visits(visitorId)
      .filter(
        (event) =>
          event.region === region &&
          (requestId === undefined || event.requestId === requestId) &&
          (linkedId === undefined || event.linkedId === linkedId),
      )
      .slice(0, limit);
    for (const event of visits) event.fetched = true;
    return c.json({ visitorId, visits: visits.map(visitAnswer) }, 200, NO_STORE);
  });

  return api;
}
