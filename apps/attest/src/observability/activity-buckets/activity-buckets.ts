import type { ActivityBucketsAnswer, Integration } from "@shapes/protocol";
import type { LogWriter } from "../log-line.js";
import { logLine } from "../log-line.js";
import type { UpstreamResult } from "../metrics.js";
import {
  type ActivityDecision,
  addFields,
  decisionFields,
  type FieldCounts,
  upstreamFields,
} from "./bucket-fields.js";
import type { BucketDelta, BucketStore } from "./bucket-store.js";
import { bucketView } from "./bucket-view.js";
import {
  ACTIVITY_PERIODS,
  type ActivityPeriod,
  bucketStart,
  keptStarts,
  oldestKept,
} from "./periods.js";

export interface ActivityBucketsOptions {
  /** The upstream latency histogram's bounds (seconds), as the Prometheus histogram's. */
  latencyBounds: readonly number[];
  /** How often counts are added to the store (ACTIVITY_FLUSH_SECONDS). */
  flushIntervalMs: number;
  now: () => number;
  /** Where failed flushes are logged (one line per failure, no counts, no secrets). */
  logWriter: LogWriter;
}

/** The sink metrics.ts records into. */
export interface ActivityRecorder {
  recordDecision(nowMs: number, decision: ActivityDecision): void;
  recordUpstream(
    nowMs: number,
    integration: Integration,
    result: UpstreamResult,
    seconds: number,
  ): void;
}

const bucketId = (period: ActivityPeriod, start: number) => `${period}:${start}`;

/**
 * Hourly, daily, monthly (and per-minute, for the live dashboard) activity buckets, kept
 * across restarts: counts gather in memory and are added to the store every flush
 * interval and on stop, so a `kill -9` loses at most one interval. A failed flush keeps
 * its counts for the next one (buckets past their retention are dropped, so a long store
 * outage cannot grow memory without bound).
 */
export class ActivityBuckets implements ActivityRecorder {
  #pending = new Map<string, BucketDelta>();
  #queue: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    readonly store: BucketStore,
    private readonly options: ActivityBucketsOptions,
  ) {}

  get flushSeconds(): number {
    return this.options.flushIntervalMs / 1000;
  }

  recordDecision(nowMs: number, decision: ActivityDecision): void {
    this.#add(nowMs, decisionFields(decision));
  }

  recordUpstream(
    nowMs: number,
    integration: Integration,
    result: UpstreamResult,
    seconds: number,
  ): void {
    this.#add(nowMs, upstreamFields(integration, result, seconds, this.options.latencyBounds));
  }

  #add(nowMs: number, fields: readonly string[]): void {
    for (const period of ACTIVITY_PERIODS) {
      const start = bucketStart(period, nowMs);
      const id = bucketId(period, start);
      let delta = this.#pending.get(id);
      if (!delta) {
        delta = { period, start, fields: new Map() };
        this.#pending.set(id, delta);
      }
      for (const name of fields) delta.fields.set(name, (delta.fields.get(name) ?? 0) + 1);
    }
  }

  /** Adds the pending counts to the store; one flush at a time (a second call waits for it). */
  flush(): Promise<void> {
    const run = this.#queue.then(() => this.#flushOnce());
    this.#queue = run.catch(() => {});
    return run;
  }

  async #flushOnce(): Promise<void> {
    if (this.#pending.size === 0) return;
    const taken = this.#pending;
    this.#pending = new Map();
    const now = this.options.now();
    try {
      await this.store.add([...taken.values()], now);
    } catch (error) {
      // Put them back in front of what arrived meanwhile, dropping what is past retention.
      for (const [id, delta] of taken) {
        if (delta.start < oldestKept(delta.period, now)) continue;
        const newer = this.#pending.get(id);
        if (newer) addFields(delta.fields, newer.fields);
        this.#pending.set(id, delta);
      }
      throw error;
    }
  }

  /** Flushes every interval until `stop` (the timer does not keep the process alive). */
  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      this.flush().catch((error: Error) => {
        this.options.logWriter(
          logLine(
            this.options.now(),
            "warn",
            "activity not saved; retried on the next flush",
            undefined,
            {
              store: this.store.kind,
              error: error.message,
            },
          ),
        );
      });
    }, this.options.flushIntervalMs);
    this.#timer.unref();
  }

  /** Stops the timer, flushes what is pending and closes the store. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    try {
      await this.flush();
    } finally {
      await this.store.close();
    }
  }

  /**
   * Every kept bucket of `period`: the store's counts (every instance's, with Redis) plus
   * this instance's counts not flushed yet. Queued with the flushes, so counts being
   * flushed are seen once: in the store, or still pending.
   */
  read(period: ActivityPeriod): Promise<ActivityBucketsAnswer> {
    const run = this.#queue.then(() => this.#readOnce(period));
    this.#queue = run.then(
      () => {},
      () => {},
    );
    return run;
  }

  async #readOnce(period: ActivityPeriod): Promise<ActivityBucketsAnswer> {
    const now = this.options.now();
    const starts = keptStarts(period, now);
    const stored = await this.store.read(period, starts);
    const bounds = this.options.latencyBounds;
    const total: FieldCounts = new Map();
    const buckets = starts.map((start, index) => {
      const fields = stored[index] ?? new Map<string, number>();
      const pending = this.#pending.get(bucketId(period, start));
      if (pending) addFields(fields, pending.fields);
      addFields(total, fields);
      return bucketView(start, fields, bounds);
    });
    return {
      period,
      now: new Date(now).toISOString(),
      store: this.store.kind,
      flushSeconds: this.flushSeconds,
      buckets,
      total: bucketView(starts[0] ?? now, total, bounds),
    };
  }
}
