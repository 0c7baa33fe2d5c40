import { ConfigError } from "@shapes/node-service";
import type { RedisSettings } from "../../shared-state/redis-settings.js";
import { type LogWriter, logLine } from "../log-line.js";
import { UPSTREAM_BUCKETS_SECONDS } from "../metrics.js";
import { ActivityBuckets } from "./activity-buckets.js";
import type { BucketStore } from "./bucket-store.js";
import { LocalBucketStore } from "./local-bucket-store.js";
import { RedisBucketStore } from "./redis-bucket-store.js";

export const DEFAULT_FLUSH_SECONDS = 5;
const MAX_FLUSH_SECONDS = 300;

/** `ACTIVITY_FLUSH_SECONDS`: 1 to 300, default 5 (what a `kill -9` may lose at most). */
export function flushSecondsFromEnv(env: Record<string, string | undefined>): number {
  const raw = env.ACTIVITY_FLUSH_SECONDS;
  if (raw === undefined || raw === "") return DEFAULT_FLUSH_SECONDS;
  const seconds = Number(raw);
  if (!/^\d+$/.test(raw) || seconds < 1 || seconds > MAX_FLUSH_SECONDS) {
    throw new ConfigError(
      `ACTIVITY_FLUSH_SECONDS must be a whole number of seconds from 1 to ${MAX_FLUSH_SECONDS}, got "${raw.slice(0, 40)}"`,
    );
  }
  return seconds;
}

export interface OpenActivityOptions {
  /** With Redis, every instance adds into the same buckets; else the data directory. */
  redis: RedisSettings | undefined;
  dataDir: string;
  flushSeconds: number;
  logWriter: LogWriter;
  now?: () => number;
}

/** The service's activity buckets on Redis or in the data directory, flushing from now on. */
export async function openActivityBuckets(options: OpenActivityOptions): Promise<ActivityBuckets> {
  const now = options.now ?? Date.now;
  const store: BucketStore = options.redis
    ? new RedisBucketStore(options.redis)
    : await LocalBucketStore.open(options.dataDir, (reason) =>
        options.logWriter(
          logLine(now(), "error", "activity file damaged: moved aside, counting again", undefined, {
            reason,
          }),
        ),
      );
  const activity = new ActivityBuckets(store, {
    latencyBounds: UPSTREAM_BUCKETS_SECONDS,
    flushIntervalMs: options.flushSeconds * 1000,
    now,
    logWriter: options.logWriter,
  });
  activity.start();
  return activity;
}

/** Buckets in this process's memory only (an app built without a data directory, as in tests). */
export function memoryActivityBuckets(now: () => number, logWriter: LogWriter): ActivityBuckets {
  const activity = new ActivityBuckets(LocalBucketStore.memory(), {
    latencyBounds: UPSTREAM_BUCKETS_SECONDS,
    flushIntervalMs: DEFAULT_FLUSH_SECONDS * 1000,
    now,
    logWriter,
  });
  // Flushing into memory drops buckets past their retention (the timer never holds the process).
  activity.start();
  return activity;
}
