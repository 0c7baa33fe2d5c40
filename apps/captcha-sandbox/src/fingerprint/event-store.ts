import type { BotResult } from "./bot-control.js";
import type { FingerprintRegion } from "./regions.js";
import type { BrowserDetails } from "./user-agent.js";

/** One identification (`fp.get()`), as the Server API reports it later. */
export interface IdentificationEvent {
  requestId: string;
  visitorId: string;
  publicKey: string;
  region: FingerprintRegion;
  /** ms since the epoch. */
  timestamp: number;
  url: string;
  ip: string;
  browserDetails: BrowserDetails;
  tag: Record<string, unknown>;
  linkedId?: string;
  /** Fixed when the event is recorded, from the bot control. */
  bot: BotResult;
  /** Whether the visitor had been identified before this event. */
  visitorFound: boolean;
  firstSeenAt: number;
  /** The visitor's previous identification, null for a new visitor. */
  lastSeenAt: number | null;
  /** Set once a Server API answer has included the event (drives `replayed`). */
  fetched: boolean;
}

export type NewEvent = Omit<
  IdentificationEvent,
  "visitorFound" | "firstSeenAt" | "lastSeenAt" | "fetched"
>;

interface VisitorHistory {
  firstSeenAt: number;
  lastSeenAt: number;
  /** Oldest first. */
  requestIds: string[];
}

/**
 * Identification events by request id, bounded: when full, the oldest event goes (and
 * from its visitor's history too; a visitor with no events left is forgotten).
 */
export class EventStore {
  readonly #events = new Map<string, IdentificationEvent>();
  readonly #visitors = new Map<string, VisitorHistory>();

  constructor(readonly maxEvents: number) {
    if (!Number.isInteger(maxEvents) || maxEvents < 1) {
      throw new RangeError("maxEvents must be a positive integer");
    }
  }

  get size(): number {
    return this.#events.size;
  }

  record(input: NewEvent): IdentificationEvent {
    while (this.#events.size >= this.maxEvents) this.#evictOldest();
    const history = this.#visitors.get(input.visitorId);
    const event: IdentificationEvent = {
      ...input,
      visitorFound: history !== undefined,
      firstSeenAt: history?.firstSeenAt ?? input.timestamp,
      lastSeenAt: history?.lastSeenAt ?? null,
      fetched: false,
    };
    this.#events.set(event.requestId, event);
    if (history === undefined) {
      this.#visitors.set(event.visitorId, {
        firstSeenAt: event.timestamp,
        lastSeenAt: event.timestamp,
        requestIds: [event.requestId],
      });
    } else {
      history.lastSeenAt = event.timestamp;
      history.requestIds.push(event.requestId);
    }
    return event;
  }

  get(requestId: string): IdentificationEvent | undefined {
    return this.#events.get(requestId);
  }

  /** The visitor's remembered events, newest first. */
  visits(visitorId: string): IdentificationEvent[] {
    const ids = this.#visitors.get(visitorId)?.requestIds ?? [];
    const events: IdentificationEvent[] = [];
    for (let i = ids.length - 1; i >= 0; i--) {
      const event = this.#events.get(ids[i] as string);
      if (event !== undefined) events.push(event);
    }
    return events;
  }

  #evictOldest(): void {
    const oldest = this.#events.values().next();
    if (oldest.done) return;
    const event = oldest.value;
    this.#events.delete(event.requestId);
    const history = this.#visitors.get(event.visitorId);
    if (history === undefined) return;
    // The globally oldest event is also its visitor's oldest: the head of the list.
    history.requestIds.shift();
    if (history.requestIds.length === 0) this.#visitors.delete(event.visitorId);
  }
}
