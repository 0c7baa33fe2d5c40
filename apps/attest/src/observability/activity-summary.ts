import type {
  ActivitySummaryJson,
  Integration,
  OutcomeCounts,
  UpstreamSummary,
} from "@shapes/protocol";
import {
  type ActivityCounts,
  type ActivityEvent,
  ActivityWindow,
  addEvent,
  emptyCounts,
} from "./activity-window.js";
import { histogramQuantile } from "./histogram-quantile.js";
import type { IntegrationLabel } from "./metric-labels.js";

export type { ActivitySummaryJson, OutcomeCounts, UpstreamSummary };

/** A decision with its labels resolved (bounded values only). */
export interface SummaryDecision extends ActivityEvent {
  integration: IntegrationLabel;
  apis: readonly string[];
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/**
 * The live activity summary of one service instance: a sliding minute (per-second slots),
 * totals since start, per integration and API (label values bounded as the metrics'), and
 * upstream latency quantiles from the same buckets as the Prometheus histogram.
 */
export class ActivitySummary {
  readonly #since: string;
  readonly #window: ActivityWindow;
  readonly #total = emptyCounts();
  readonly #byIntegration = new Map<IntegrationLabel, OutcomeCounts>();
  readonly #byApi = new Map<string, OutcomeCounts>();
  readonly #upstream = new Map<Integration, number[]>();

  constructor(
    startedMs: number,
    private readonly bucketsSeconds: readonly number[],
    windowSeconds = 60,
  ) {
    this.#since = new Date(startedMs).toISOString();
    this.#window = new ActivityWindow(windowSeconds);
  }

  recordDecision(nowMs: number, decision: SummaryDecision): void {
    this.#window.record(nowMs, decision);
    addEvent(this.#total, decision);
    const bump = (map: Map<string, OutcomeCounts>, key: string) => {
      const counts = map.get(key) ?? { valid: 0, invalid: 0, error: 0 };
      counts[decision.outcome] += 1;
      map.set(key, counts);
    };
    bump(this.#byIntegration, decision.integration);
    for (const api of decision.apis) bump(this.#byApi, api);
  }

  recordUpstream(integration: Integration, seconds: number): void {
    let counts = this.#upstream.get(integration);
    if (!counts) {
      counts = new Array<number>(this.bucketsSeconds.length + 1).fill(0);
      this.#upstream.set(integration, counts);
    }
    const index = this.bucketsSeconds.findIndex((bound) => seconds <= bound);
    const slot = index === -1 ? this.bucketsSeconds.length : index;
    counts[slot] = (counts[slot] ?? 0) + 1;
  }

  toJSON(nowMs: number): ActivitySummaryJson {
    const upstream: Partial<Record<Integration, UpstreamSummary>> = {};
    for (const [integration, counts] of this.#upstream) {
      const quantileMs = (q: number) => {
        const seconds = histogramQuantile(q, this.bucketsSeconds, counts);
        return seconds === undefined ? null : round1(seconds * 1000);
      };
      upstream[integration] = {
        count: counts.reduce((sum, n) => sum + n, 0),
        p50Ms: quantileMs(0.5),
        p95Ms: quantileMs(0.95),
      };
    }
    const copy = (counts: ActivityCounts): ActivityCounts => ({
      ...counts,
      errors: { ...counts.errors },
    });
    return {
      since: this.#since,
      window: { seconds: this.#window.seconds, ...this.#window.counts(nowMs) },
      total: copy(this.#total),
      byIntegration: Object.fromEntries(
        [...this.#byIntegration].map(([key, counts]) => [key, { ...counts }]),
      ),
      byApi: Object.fromEntries([...this.#byApi].map(([key, counts]) => [key, { ...counts }])),
      upstream,
    };
  }
}
