import { ACTIVITY_PERIODS, ACTIVITY_RETENTION, type ActivityPeriod } from "@shapes/protocol";

export { ACTIVITY_PERIODS, ACTIVITY_RETENTION, type ActivityPeriod };

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** The longest month, for expiry times (calendar months vary). */
const LONGEST_MONTH_MS = 31 * DAY_MS;

const FIXED_MS: Record<Exclude<ActivityPeriod, "month">, number> = {
  minute: MINUTE_MS,
  hour: HOUR_MS,
  day: DAY_MS,
};

/** The first instant (ms, UTC) of the bucket of `period` holding `ms`. */
export function bucketStart(period: ActivityPeriod, ms: number): number {
  if (period === "month") {
    const date = new Date(ms);
    return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  }
  const length = FIXED_MS[period];
  return Math.floor(ms / length) * length;
}

/** The start of the bucket `back` buckets before the one holding `ms` (0: that one). */
function startBefore(period: ActivityPeriod, ms: number, back: number): number {
  if (period === "month") {
    const date = new Date(ms);
    return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - back, 1);
  }
  return bucketStart(period, ms) - back * FIXED_MS[period];
}

/** The starts of every kept bucket of `period` at `nowMs`, oldest first, the current one last. */
export function keptStarts(period: ActivityPeriod, nowMs: number): number[] {
  const count = ACTIVITY_RETENTION[period];
  const starts: number[] = [];
  for (let back = count - 1; back >= 0; back--) starts.push(startBefore(period, nowMs, back));
  return starts;
}

/** The oldest bucket start still kept at `nowMs`. */
export const oldestKept = (period: ActivityPeriod, nowMs: number): number =>
  startBefore(period, nowMs, ACTIVITY_RETENTION[period] - 1);

/**
 * How long a bucket must live after its start to stay readable for the whole retention:
 * the retained span plus one bucket (the current one is still counting).
 */
export function bucketLifetimeMs(period: ActivityPeriod): number {
  const length = period === "month" ? LONGEST_MONTH_MS : FIXED_MS[period];
  return (ACTIVITY_RETENTION[period] + 1) * length;
}
