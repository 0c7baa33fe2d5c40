import type { ActivityCounts } from "@shapes/protocol";

export type { ActivityCounts };

/** One decision as the summary sees it. */
export interface ActivityEvent {
  outcome: "valid" | "invalid" | "error";
  /** Code labels (known codes or "other"). */
  codes: readonly string[];
  rateLimited: boolean;
}

export const emptyCounts = (): ActivityCounts => ({
  requests: 0,
  valid: 0,
  invalid: 0,
  errors: {},
  rateLimited: 0,
});

export function addEvent(counts: ActivityCounts, event: ActivityEvent): void {
  counts.requests += 1;
  if (event.outcome === "valid") counts.valid += 1;
  else if (event.outcome === "invalid") counts.invalid += 1;
  for (const code of event.codes) counts.errors[code] = (counts.errors[code] ?? 0) + 1;
  if (event.rateLimited) counts.rateLimited += 1;
}

function addCounts(into: ActivityCounts, from: ActivityCounts): void {
  into.requests += from.requests;
  into.valid += from.valid;
  into.invalid += from.invalid;
  into.rateLimited += from.rateLimited;
  for (const [code, n] of Object.entries(from.errors))
    into.errors[code] = (into.errors[code] ?? 0) + n;
}

interface Slot {
  /** The whole second (since the epoch) the slot counts; an older one is reset on reuse. */
  second: number;
  counts: ActivityCounts;
}

/**
 * The last `seconds` seconds of activity in one slot per second: memory is fixed whatever
 * the traffic (a slot is reused, and reset, when its second comes round again).
 */
export class ActivityWindow {
  readonly #slots: (Slot | undefined)[];

  constructor(readonly seconds = 60) {
    this.#slots = new Array(seconds).fill(undefined);
  }

  record(nowMs: number, event: ActivityEvent): void {
    const second = Math.floor(nowMs / 1000);
    const index = second % this.seconds;
    let slot = this.#slots[index];
    if (!slot || slot.second !== second) {
      slot = { second, counts: emptyCounts() };
      this.#slots[index] = slot;
    }
    addEvent(slot.counts, event);
  }

  /** The sum of the slots of the last `seconds` seconds, this one included. */
  counts(nowMs: number): ActivityCounts {
    const now = Math.floor(nowMs / 1000);
    const sum = emptyCounts();
    for (const slot of this.#slots) {
      if (slot && slot.second > now - this.seconds && slot.second <= now) {
        addCounts(sum, slot.counts);
      }
    }
    return sum;
  }
}
