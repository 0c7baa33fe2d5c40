import { performance } from "node:perf_hooks";
import { ATTEST_PARAMS, HEADERS, type Integration, type ServiceEndpoint } from "@shapes/protocol";
import type { Context } from "hono";
import type { AccountHolder } from "../account/account-holder.js";
import { AttestError } from "../http/attest-error.js";
import { clientIp } from "../http/client-ip.js";
import { clip } from "../http/list-for-detail.js";
import { type Param, parseParams } from "../http/parse-params.js";
import { readBody } from "../http/read-body.js";
import { requestIdOf } from "../http/request-id.js";
import { UpstreamCheckError, UpstreamCheckErrors } from "../integrations/upstream-check-error.js";
import type { DecisionLog, DecisionLogEntry } from "../observability/decision-log.js";
import { integrationLabel, integrationsOfParams } from "../observability/metric-labels.js";
import type { DecisionRecord, UpstreamObserver } from "../observability/metrics.js";
import type { AttestSettings } from "../settings.js";
import type { RateLimitStore } from "../shared-state/rate-limit.js";
import { newArc } from "../tokens/arc.js";

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

/** What a route's decision step gets: the parsed request, ready to validate. */
export interface DecisionRequest {
  c: Context;
  /** The decision's reference: the tokens' `arc` claim and the log line's. */
  arc: string;
  params: Param[];
  ip: string;
  /** Records the session id for the log line (SDK endpoints). */
  setSid(sid: string): void;
  /** Names the integrations when the parameters do not (/refresh: the session's). */
  setIntegrations(integrations: Integration[]): void;
}

/** A decision: the answer, and whether it carries valid tokens or decoys. */
export type Decision =
  | { response: Response; outcome: "valid" }
  | { response: Response; outcome: "invalid"; reason: string };

/** Responses carrying tokens or per-request errors must not be cached anywhere. */
export const NO_STORE = { "cache-control": "no-store" };

/** RFC 9449 section 8: the client is to retry with the DPoP-Nonce sent alongside. */
const USE_DPOP_NONCE = 'DPoP error="use_dpop_nonce"';

function errorHeaders(error: AttestError): Record<string, string> {
  const headers: Record<string, string> = { ...NO_STORE };
  if (error.codes.includes("aprv-invalid-nonce")) headers[HEADERS.wwwAuthenticate] = USE_DPOP_NONCE;
  if (error.retryAfterSeconds !== undefined) headers["retry-after"] = `${error.retryAfterSeconds}`;
  return headers;
}

/**
 * The pipeline every decision endpoint shares: body (bounded), strict parameter
 * parsing, the endpoint's `decide` step, error answers (`{message, errors}`), and one
 * decision log line. Unexpected errors are logged and rethrown to the bare 500.
 */
export function decisionRoute(
  endpoint: ServiceEndpoint,
  deps: RouteDeps,
  decide: (request: DecisionRequest) => Promise<Decision>,
) {
  const { settings } = deps;
  return async (c: Context): Promise<Response> => {
    const started = performance.now();
    const arc = newArc();
    const requestId = requestIdOf(c);
    let api: string[] = [];
    let apiTargets: string[] = [];
    let sid: string | undefined;
    let integrations: Integration[] = [];
    // The one place every decision goes through: its log line and its metrics.
    const log = (entry: Pick<DecisionLogEntry, "outcome" | "reason" | "codes">, status: number) => {
      deps.metrics?.recordDecision({
        endpoint,
        outcome: entry.outcome,
        codes: entry.codes,
        status,
        integrations,
        apis: apiTargets,
      });
      deps.log({
        time: new Date(deps.now()).toISOString(),
        msg: endpoint,
        ...(requestId !== undefined ? { requestId } : {}),
        arc,
        ...(sid !== undefined ? { sid } : {}),
        outcome: entry.outcome,
        ...(entry.reason !== undefined ? { reason: entry.reason } : {}),
        codes: entry.codes,
        api,
        integration: integrationLabel(integrations),
        status,
        durationMs: Math.round(performance.now() - started),
      });
    };

    try {
      const body = await readBody(c.req.raw, {
        maxBytes: settings.maxBodyBytes,
        timeoutMs: settings.bodyTimeoutMs,
      });
      // The SDK endpoints take a body only: a refresh token must never sit in a URL (logs).
      if (endpoint !== "attest" && new URL(c.req.url).search !== "") {
        throw AttestError.single(400, "rqst-illegal-params", "query string: send a form body");
      }
      const params = await parseParams(c.req.raw, body);
      apiTargets = params
        .filter(([name]) => name === ATTEST_PARAMS.api)
        .slice(0, 10)
        .map(([, value]) => value);
      api = apiTargets.map(clip);
      integrations = integrationsOfParams(params.map(([name]) => name));
      const decision = await decide({
        c,
        arc,
        params,
        ip: clientIp(c, settings.trustProxy),
        setSid: (value) => {
          sid = value;
        },
        setIntegrations: (value) => {
          integrations = value;
        },
      });
      const status = decision.response.status;
      if (decision.outcome === "valid") log({ outcome: "valid", codes: [] }, status);
      else log({ outcome: "invalid", reason: decision.reason, codes: [] }, status);
      return decision.response;
    } catch (error) {
      if (error instanceof AttestError) {
        log({ outcome: "error", reason: "request refused", codes: error.codes }, error.status);
        return c.json(error.toBody(), error.status, errorHeaders(error));
      }
      if (error instanceof UpstreamCheckError || error instanceof UpstreamCheckErrors) {
        const failures = error instanceof UpstreamCheckError ? [error] : error.failures;
        const errors = Object.fromEntries(failures.map((f) => [f.code, f.detail]));
        const failure = new AttestError(502, errors);
        log({ outcome: "error", reason: error.message, codes: failure.codes }, failure.status);
        return c.json(failure.toBody(), failure.status, NO_STORE);
      }
      log({ outcome: "error", reason: "internal error", codes: [] }, 500);
      throw error;
    }
  };
}
