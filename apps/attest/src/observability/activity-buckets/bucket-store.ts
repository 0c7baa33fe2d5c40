import type { FieldCounts } from "./bucket-fields.js";
import type { ActivityPeriod } from "./periods.js";

/** Counts to add to one bucket. */
export interface BucketDelta {
  period: ActivityPeriod;
  /** The bucket's start (ms since the epoch, UTC). */
  start: number;
  fields: FieldCounts;
}

/** The buckets could not be read or written (Redis away, a file system error). */
export class BucketStoreError extends Error {
  override name = "BucketStoreError";
}

/** Where the activity buckets are kept. */
export interface BucketStore {
  readonly kind: "redis" | "file" | "memory";
  /** Adds every delta, all or nothing (a failure leaves the store as it was). */
  add(deltas: readonly BucketDelta[], nowMs: number): Promise<void>;
  /** The fields of the buckets of `period` starting at `starts`, in that order (empty when absent). */
  read(period: ActivityPeriod, starts: readonly number[]): Promise<FieldCounts[]>;
  close(): Promise<void>;
}
