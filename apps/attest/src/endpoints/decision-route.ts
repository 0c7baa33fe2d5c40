import { performance } from "node:perf_hooks";
import { ATTEST_PARAMS, type Integration, type ServiceEndpoint } from "@shapes/protocol";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AccountHolder } from "../account/account-holder.js";
import { AttestError } from "../http/attest-error.js";
import { clientIp } from "../http/client-ip.js";
import { clip } from "../http/list-for-detail.js";
import { type Param, parseParams } from "../http/parse-params.js";
import { readBody } from "../http/read-body.js";
import { requestIdOf } from "../http/request-id.js";
import type { DecisionLog, DecisionLogEntry } from "../observability/decision-log.js";
import { integrationLabel, integrationsOfParams } from "../observability/metric-labels.js";
import type { DecisionRecord, UpstreamObserver } from "../observability/metrics.js";
import type { AttestSettings } from "../settings.js";
import type { RateLimitStore } from "../shared-state/rate-limit.js";
import { newArc } from "../tokens/arc.js";
import { attestErrorOf } from "./decision-errors.js";

export interface RouteDeps {
  /** The current account: read once per request (admin changes apply to the next one). */
  store: AccountHolder;
  settings: AttestSettings;
  /** Per site key request counts (`rateLimit`): this process's, or shared (Redis). */
  limiter: RateLimitStore;
  /** Milliseconds since the epoch: token times come from here. */
  now: () => number;
  log: DecisionLog;
  /** Counts each decision (Prometheus and the live summary) and times upstream checks. */
  metrics?: {
    recordDecision(record: DecisionRecord): void;
    observeUpstream: UpstreamObserver;
  };
}

/** A decision: valid tokens, or decoys (with the reason, for the log line only). */
export type DecisionOutcome = { outcome: "valid" } | { outcome: "invalid"; reason: string };

/**
 * What a decision request carries through its handlers (Hono context variables): what the
 * request said, and what the handler learnt (the session id, the session's integrations)
 * for its one log line.
 */
export interface DecisionVars {
  /** The decision's reference: the tokens' `arc` claim and the log line's. */
  arc: string;
  params: Param[];
  ip: string;
  /** The integrations used: from the parameter names, or (/refresh) the session's. */
  integrations: Integration[];
  /** The API targets requested (client text: at most 10, for labels and the log). */
  apiTargets: string[];
  /** SDK endpoints: the session id, once known. */
  sid: string | undefined;
  decision: DecisionOutcome | undefined;
}

export type DecisionEnv = { Variables: DecisionVars };
export type DecisionContext = Context<DecisionEnv>;

/** Responses carrying tokens or per-request errors must not be cached anywhere. */
export const NO_STORE = { "cache-control": "no-store" };

/** Answers a decision, recording its outcome for the log line. */
export function answer(c: DecisionContext, decision: DecisionOutcome, response: Response) {
  c.set("decision", decision);
  return response;
}

/**
 * First on every decision route: after the rest has answered (or failed, `c.error`), the
 * one log line and the metrics of the decision.
 */
export function recordDecision(endpoint: ServiceEndpoint, deps: RouteDeps) {
  return createMiddleware<DecisionEnv>(async (c, next) => {
    const started = performance.now();
    c.set("arc", newArc());
    c.set("integrations", []);
    c.set("apiTargets", []);
    await next();
    const entry = outcomeOf(c);
    const status = c.res.status;
    const { integrations, apiTargets, sid } = c.var;
    deps.metrics?.recordDecision({ endpoint, ...entry, status, integrations, apis: apiTargets });
    const requestId = requestIdOf(c);
    deps.log({
      time: new Date(deps.now()).toISOString(),
      msg: endpoint,
      ...(requestId !== undefined ? { requestId } : {}),
      arc: c.var.arc,
      ...(sid !== undefined ? { sid } : {}),
      outcome: entry.outcome,
      ...(entry.reason !== undefined ? { reason: entry.reason } : {}),
      codes: entry.codes,
      api: apiTargets.map(clip),
      integration: integrationLabel(integrations),
      status,
      durationMs: Math.round(performance.now() - started),
    });
  });
}

/** What the log line says of how the request ended. */
function outcomeOf(c: DecisionContext): Pick<DecisionLogEntry, "outcome" | "reason" | "codes"> {
  const error = c.error;
  if (error === undefined) {
    const decision = c.var.decision;
    if (decision?.outcome === "valid") return { outcome: "valid", codes: [] };
    return { outcome: "invalid", reason: decision?.reason ?? "unknown", codes: [] };
  }
  const refusal = attestErrorOf(error);
  if (refusal === undefined) return { outcome: "error", reason: "internal error", codes: [] };
  // A refused request says why in its codes; an upstream failure in its message.
  const reason = refusal.status === 502 ? error.message : "request refused";
  return { outcome: "error", reason, codes: refusal.codes };
}

/**
 * Second: the bounded body and the strict parameter parsing every decision endpoint
 * shares, into the context (`params`, `ip`, `apiTargets`, `integrations`).
 */
export function readDecisionRequest(endpoint: ServiceEndpoint, settings: AttestSettings) {
  return createMiddleware<DecisionEnv>(async (c, next) => {
    const body = await readBody(c.req.raw, {
      maxBytes: settings.maxBodyBytes,
      timeoutMs: settings.bodyTimeoutMs,
    });
    // The SDK endpoints take a body only: a refresh token must never sit in a URL (logs).
    if (endpoint !== "attest" && new URL(c.req.url).search !== "") {
      throw AttestError.single(400, "rqst-illegal-params", "query string: send a form body");
    }
    const params = await parseParams(c.req.raw, body);
    c.set("params", params);
    c.set(
      "apiTargets",
      params
        .filter(([name]) => name === ATTEST_PARAMS.api)
        .slice(0, 10)
        .map(([, value]) => value),
    );
    c.set("integrations", integrationsOfParams(params.map(([name]) => name)));
    c.set("ip", clientIp(c, settings.trustProxy));
    await next();
  });
}
