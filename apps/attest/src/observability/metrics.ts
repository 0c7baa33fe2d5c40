import { INTEGRATION_NAMES, type Integration, type ServiceEndpoint } from "@shapes/protocol";
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import type { ActivityRecorder } from "./activity-buckets/activity-buckets.js";
import { ActivitySummary, type ActivitySummaryJson } from "./activity-summary.js";
import {
  ApiLabels,
  codeLabel,
  integrationLabel,
  integrationOfTokenCheckCode,
} from "./metric-labels.js";

/** Upstream check latency buckets (seconds): 5 ms on loopback to the 10 s a slow service may take. */
export const UPSTREAM_BUCKETS_SECONDS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
] as const;

/** How an upstream check ended: a verdict (passed / failed) or no verdict (error: a 502). */
export type UpstreamResult = "passed" | "failed" | "error";

/** What the metrics need of one decision (the decision route builds it with the log line). */
export interface DecisionRecord {
  endpoint: ServiceEndpoint;
  outcome: "valid" | "invalid" | "error";
  /** The error answer's codes (empty unless outcome is error). */
  codes: readonly string[];
  /** The answer's HTTP status (429: refused by a rate limit). */
  status: number;
  /** The integrations the request used (from parameter names, or the session's). */
  integrations: readonly Integration[];
  /** The API targets requested (client text: only registered domains become labels). */
  apis: readonly string[];
}

/** Records each upstream check's duration where it is made. */
export type UpstreamObserver = (
  integration: Integration,
  result: UpstreamResult,
  seconds: number,
) => void;

export interface MetricsOptions {
  /** Milliseconds since the epoch (the summary's window and `since`). */
  now: () => number;
  /** Whether a requested API domain is registered in the current account. */
  isRegisteredApi: (domain: string) => boolean;
  /**
   * Node process metrics (CPU, memory, event loop, GC) under `approov_attest_`. They start
   * monitors that run for the life of the process, so only the service turns them on.
   */
  processMetrics?: boolean;
  /** The persisted hourly / daily / monthly buckets (activity-buckets/). */
  activity?: ActivityRecorder;
}

/**
 * The metrics of one attest instance, on a registry of its own (several apps in one
 * process, as in tests, do not share counters): token decisions, upstream check latency,
 * rate-limit refusals, and the live summary the admin API serves.
 */
export class AttestMetrics {
  readonly registry = new Registry();
  readonly #requests: Counter<"endpoint" | "outcome" | "code" | "integration" | "api">;
  readonly #upstream: Histogram<"integration" | "result">;
  readonly #rateLimited: Counter<"integration">;
  readonly #summary: ActivitySummary;
  readonly #apiLabels: ApiLabels;
  readonly #now: () => number;
  readonly #activity: ActivityRecorder | undefined;

  constructor(options: MetricsOptions) {
    this.#now = options.now;
    this.#activity = options.activity;
    this.#apiLabels = new ApiLabels(options.isRegisteredApi);
    this.#summary = new ActivitySummary(options.now(), UPSTREAM_BUCKETS_SECONDS);
    const registers = [this.registry];
    this.#requests = new Counter({
      name: "approov_token_requests_total",
      help: "Token requests (/attest, /token, /refresh) by endpoint, outcome, error code, integration and API (one increment per API and per error code of a request)",
      labelNames: ["endpoint", "outcome", "code", "integration", "api"],
      registers,
    });
    this.#upstream = new Histogram({
      name: "approov_upstream_check_seconds",
      help: "Duration of the upstream checks (siteverify or Server API calls) by integration and result",
      labelNames: ["integration", "result"],
      buckets: [...UPSTREAM_BUCKETS_SECONDS],
      registers,
    });
    this.#rateLimited = new Counter({
      name: "approov_rate_limit_refusals_total",
      help: "Requests refused because an integration key's rateLimit was used up, by integration",
      labelNames: ["integration"],
      registers,
    });
    // Present at 0 from the start, so a first refusal shows in rate() and panels read 0, not "no data".
    for (const integration of INTEGRATION_NAMES) this.#rateLimited.inc({ integration }, 0);
    if (options.processMetrics) {
      collectDefaultMetrics({ register: this.registry, prefix: "approov_attest_" });
    }
  }

  /** Counts one decision: every label value from a fixed set or the account's own APIs. */
  recordDecision(record: DecisionRecord): void {
    const integration = integrationLabel(record.integrations);
    const apis = this.#apiLabels.of(record.apis);
    const codes = record.outcome === "error" ? [...new Set(record.codes.map(codeLabel))] : [];
    for (const api of apis) {
      for (const code of codes.length > 0 ? codes : ["none"]) {
        this.#requests.inc({
          endpoint: record.endpoint,
          outcome: record.outcome,
          code,
          integration,
          api,
        });
      }
    }
    const rateLimited = record.status === 429;
    const refusedBy: Integration[] = [];
    if (rateLimited) {
      for (const code of record.codes) {
        const refused = integrationOfTokenCheckCode(code);
        if (!refused) continue;
        this.#rateLimited.inc({ integration: refused });
        refusedBy.push(refused);
      }
    }
    const { endpoint, outcome } = record;
    const decision = { endpoint, outcome, codes, integration, apis, rateLimited, refusedBy };
    this.#activity?.recordDecision(this.#now(), decision);
    this.#summary.recordDecision(this.#now(), {
      outcome: record.outcome,
      codes,
      rateLimited,
      integration,
      apis,
    });
  }

  readonly observeUpstream: UpstreamObserver = (integration, result, seconds) => {
    this.#upstream.observe({ integration, result }, seconds);
    this.#summary.recordUpstream(integration, seconds);
    this.#activity?.recordUpstream(this.#now(), integration, result, seconds);
  };

  summary(): ActivitySummaryJson {
    return this.#summary.toJSON(this.#now());
  }

  /** The Prometheus text exposition of this instance's registry. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
