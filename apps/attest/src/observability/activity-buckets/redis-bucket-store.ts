import { Redis } from "ioredis";
import type { RedisSettings } from "../../shared-state/redis-settings.js";
import type { FieldCounts } from "./bucket-fields.js";
import { type BucketDelta, type BucketStore, BucketStoreError } from "./bucket-store.js";
import { type ActivityPeriod, bucketLifetimeMs } from "./periods.js";

/** How long an add or a read waits for a connection being (re)established. */
const READY_WAIT_MS = 1000;
/** Most fields read back from one bucket hash (bounded labels stay far below it). */
const MAX_FIELDS_PER_BUCKET = 20_000;

/**
 * The buckets in Redis, one hash per bucket (`<prefix>activity:<period>:<start ms>`), so
 * every instance adds into the same counts (HINCRBY) and one picture shows them all. Each
 * hash expires once its period's retention has passed. Its own connection: fails fast and
 * never queues while Redis is away (the caller keeps its counts and retries).
 */
export class RedisBucketStore implements BucketStore {
  readonly kind = "redis";
  readonly #client: Redis;
  readonly #prefix: string;

  constructor(settings: RedisSettings) {
    this.#prefix = `${settings.keyPrefix}activity:`;
    this.#client = new Redis(settings.url, {
      connectionName: "attest-activity",
      connectTimeout: 1000,
      commandTimeout: 1000,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      retryStrategy: (times) => Math.min(100 * times, 1000),
    });
    // Connection errors surface as failed adds and reads; the client reconnects by itself.
    this.#client.on("error", () => {});
  }

  /**
   * Waits (at most a connect timeout) for the connection: commands are never queued, so
   * a store just opened, or reconnecting, would otherwise fail at once.
   */
  async #ready(): Promise<void> {
    if (this.#client.status === "ready") return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#client.off("ready", onReady);
        reject(new BucketStoreError("Redis is not reachable"));
      }, READY_WAIT_MS);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      this.#client.once("ready", onReady);
    });
  }

  #key(period: ActivityPeriod, start: number): string {
    return `${this.#prefix}${period}:${start}`;
  }

  async add(deltas: readonly BucketDelta[]): Promise<void> {
    if (deltas.length === 0) return;
    await this.#ready();
    // MULTI/EXEC: applied all together or not at all, so a failed flush can be retried.
    const multi = this.#client.multi();
    for (const { period, start, fields } of deltas) {
      const key = this.#key(period, start);
      for (const [name, n] of fields) multi.hincrby(key, name, n);
      multi.pexpireat(key, start + bucketLifetimeMs(period));
    }
    try {
      const results = await multi.exec();
      if (results === null || results.some(([error]) => error)) {
        throw new Error("transaction refused");
      }
    } catch (error) {
      throw new BucketStoreError(`cannot add activity to Redis: ${(error as Error).message}`);
    }
  }

  async read(period: ActivityPeriod, starts: readonly number[]): Promise<FieldCounts[]> {
    await this.#ready();
    const pipeline = this.#client.pipeline();
    for (const start of starts) pipeline.hgetall(this.#key(period, start));
    let results: [Error | null, unknown][] | null;
    try {
      results = await pipeline.exec();
    } catch (error) {
      throw new BucketStoreError(`cannot read activity from Redis: ${(error as Error).message}`);
    }
    if (results === null) throw new BucketStoreError("cannot read activity from Redis");
    return results.map(([error, hash]) => {
      if (error) throw new BucketStoreError(`cannot read activity from Redis: ${error.message}`);
      const fields: FieldCounts = new Map();
      for (const [name, raw] of Object.entries((hash ?? {}) as Record<string, string>)) {
        if (fields.size >= MAX_FIELDS_PER_BUCKET) break;
        const n = Number(raw);
        if (Number.isSafeInteger(n) && n > 0) fields.set(name, n);
      }
      return fields;
    });
  }

  async close(): Promise<void> {
    this.#client.disconnect();
  }
}
