import { readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { replaceFile } from "../../account/atomic-file.js";
import { addFields, type FieldCounts } from "./bucket-fields.js";
import { type BucketDelta, type BucketStore, BucketStoreError } from "./bucket-store.js";
import { ACTIVITY_PERIODS, type ActivityPeriod, oldestKept } from "./periods.js";

/** The file in the data directory. */
export const ACTIVITY_FILE = "activity.json";
/** Where a file that cannot be read is moved (one kept: the latest). */
export const DAMAGED_ACTIVITY_FILE = "activity.json.damaged";
/** Largest file read back; the retained buckets of bounded labels stay far below it. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;

type State = Record<ActivityPeriod, Map<number, FieldCounts>>;

const emptyState = (): State => ({
  minute: new Map(),
  hour: new Map(),
  day: new Map(),
  month: new Map(),
});

interface ActivityFile {
  version: 1;
  buckets: Partial<Record<ActivityPeriod, Record<string, Record<string, number>>>>;
}

function serialize(state: State): string {
  const buckets: ActivityFile["buckets"] = {};
  for (const period of ACTIVITY_PERIODS) {
    const entries: Record<string, Record<string, number>> = {};
    for (const [start, fields] of state[period])
      entries[String(start)] = Object.fromEntries(fields);
    buckets[period] = entries;
  }
  return `${JSON.stringify({ version: 1, buckets } satisfies ActivityFile)}\n`;
}

/** The file's buckets; anything that is not a count is skipped. Throws on a damaged file. */
function parse(text: string): State {
  const value = JSON.parse(text) as unknown;
  if (typeof value !== "object" || value === null || (value as ActivityFile).version !== 1) {
    throw new Error("not an activity file of version 1");
  }
  const state = emptyState();
  const buckets = (value as ActivityFile).buckets;
  if (typeof buckets !== "object" || buckets === null) throw new Error("no buckets");
  for (const period of ACTIVITY_PERIODS) {
    const entries = Object.hasOwn(buckets, period) ? buckets[period] : undefined;
    if (typeof entries !== "object" || entries === null) continue;
    for (const [start, fields] of Object.entries(entries)) {
      const startMs = Number(start);
      if (!Number.isSafeInteger(startMs) || typeof fields !== "object" || fields === null) continue;
      const counts: FieldCounts = new Map();
      for (const [name, n] of Object.entries(fields)) {
        if (Number.isSafeInteger(n) && n > 0) counts.set(name, n);
      }
      state[period].set(startMs, counts);
    }
  }
  return state;
}

/**
 * The buckets of one instance, in memory, and (with a data directory) in `activity.json`
 * there, replaced atomically on each add: a crash leaves the previous flush's file. Adds
 * are applied to a copy that replaces the state only once written, so a failed write
 * changes nothing and the caller may retry the same deltas.
 */
export class LocalBucketStore implements BucketStore {
  readonly kind: "file" | "memory";
  #state: State;

  private constructor(
    private readonly dir: string | undefined,
    state: State,
  ) {
    this.kind = dir === undefined ? "memory" : "file";
    this.#state = state;
  }

  static memory(): LocalBucketStore {
    return new LocalBucketStore(undefined, emptyState());
  }

  /**
   * Opens `dir`'s activity file (none yet: empty). A file that cannot be read as one is
   * moved aside to activity.json.damaged and `onDamaged` is told; counting starts again.
   */
  static async open(dir: string, onDamaged: (reason: string) => void): Promise<LocalBucketStore> {
    const path = join(dir, ACTIVITY_FILE);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        return new LocalBucketStore(dir, emptyState());
      }
      throw new BucketStoreError(
        `cannot read ${ACTIVITY_FILE}: ${(error as NodeJS.ErrnoException).code ?? "error"}`,
      );
    }
    try {
      if (text.length > MAX_FILE_BYTES) throw new Error(`over ${MAX_FILE_BYTES} bytes`);
      return new LocalBucketStore(dir, parse(text));
    } catch (error) {
      await rename(path, join(dir, DAMAGED_ACTIVITY_FILE));
      onDamaged((error as Error).message);
      return new LocalBucketStore(dir, emptyState());
    }
  }

  async add(deltas: readonly BucketDelta[], nowMs: number): Promise<void> {
    const next = emptyState();
    for (const period of ACTIVITY_PERIODS) {
      const oldest = oldestKept(period, nowMs);
      for (const [start, fields] of this.#state[period]) {
        if (start >= oldest) next[period].set(start, fields);
      }
    }
    for (const delta of deltas) {
      if (delta.start < oldestKept(delta.period, nowMs)) continue;
      // Copy on write: the current state stays as it is until the file is written.
      const fields = new Map(next[delta.period].get(delta.start));
      addFields(fields, delta.fields);
      next[delta.period].set(delta.start, fields);
    }
    if (this.dir !== undefined) {
      try {
        await replaceFile(this.dir, ACTIVITY_FILE, serialize(next));
      } catch (error) {
        throw new BucketStoreError(
          `cannot write ${ACTIVITY_FILE}: ${(error as NodeJS.ErrnoException).code ?? "error"}`,
        );
      }
    }
    this.#state = next;
  }

  async read(period: ActivityPeriod, starts: readonly number[]): Promise<FieldCounts[]> {
    return starts.map((start) => new Map(this.#state[period].get(start)));
  }

  async close(): Promise<void> {}
}
