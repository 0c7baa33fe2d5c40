import { createHash, randomBytes } from "node:crypto";

export interface PortalSessionsOptions {
  now: () => number;
  /** How long a ticket from `approov metrics` may wait to be exchanged (single use). */
  ticketTtlMs?: number;
  /** How long a read-only portal session lasts. */
  sessionTtlMs?: number;
  maxTickets?: number;
  maxSessions?: number;
}

export const TICKET_TTL_MS = 60_000;
export const SESSION_TTL_MS = 2 * 60 * 60_000;
const MAX_TICKETS = 100;
const MAX_SESSIONS = 1000;

/** Tickets and sessions are 256 random bits; the prefix says which (never a key's shape). */
const TICKET_PREFIX = "apt_";
const SESSION_PREFIX = "aps_";

const newToken = (prefix: string) => `${prefix}${randomBytes(32).toString("base64url")}`;
/** Kept by hash only: a memory dump or a debugger shows no usable token. */
const digest = (token: string) => createHash("sha256").update(token).digest("base64url");

/** A map of token hashes to expiry times, at most `max` (the oldest go first when full). */
class ExpiringSet {
  readonly #entries = new Map<string, number>();

  constructor(
    private readonly max: number,
    private readonly now: () => number,
  ) {}

  add(token: string, expiresAt: number): void {
    if (this.#entries.size >= this.max) this.#sweep();
    // Still full of live entries: the oldest one gives way (insertion order).
    while (this.#entries.size >= this.max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    this.#entries.set(digest(token), expiresAt);
  }

  /** Whether `token` is live; `take` removes it (single use). */
  has(token: string, take = false): boolean {
    const key = digest(token);
    const expiresAt = this.#entries.get(key);
    if (expiresAt === undefined) return false;
    if (take || expiresAt <= this.now()) this.#entries.delete(key);
    return expiresAt > this.now();
  }

  delete(token: string): void {
    this.#entries.delete(digest(token));
  }

  get size(): number {
    return this.#entries.size;
  }

  #sweep(): void {
    const now = this.now();
    for (const [key, expiresAt] of this.#entries) if (expiresAt <= now) this.#entries.delete(key);
  }
}

/**
 * The portal's short-lived credentials, in this instance's memory: one-time tickets the
 * CLI asks for with the admin key (and opens the page with, in the URL's fragment), and
 * the read-only metrics sessions the page exchanges them for. Both bounded in number.
 */
export class PortalSessions {
  readonly #tickets: ExpiringSet;
  readonly #sessions: ExpiringSet;
  readonly #now: () => number;
  readonly ticketTtlMs: number;
  readonly sessionTtlMs: number;

  constructor(options: PortalSessionsOptions) {
    this.#now = options.now;
    this.ticketTtlMs = options.ticketTtlMs ?? TICKET_TTL_MS;
    this.sessionTtlMs = options.sessionTtlMs ?? SESSION_TTL_MS;
    this.#tickets = new ExpiringSet(options.maxTickets ?? MAX_TICKETS, options.now);
    this.#sessions = new ExpiringSet(options.maxSessions ?? MAX_SESSIONS, options.now);
  }

  issueTicket(): string {
    const ticket = newToken(TICKET_PREFIX);
    this.#tickets.add(ticket, this.#now() + this.ticketTtlMs);
    return ticket;
  }

  /** True once per ticket, within its lifetime. */
  redeemTicket(ticket: string): boolean {
    return ticket.startsWith(TICKET_PREFIX) && this.#tickets.has(ticket, true);
  }

  openSession(): { session: string; expiresAt: number } {
    const session = newToken(SESSION_PREFIX);
    const expiresAt = this.#now() + this.sessionTtlMs;
    this.#sessions.add(session, expiresAt);
    return { session, expiresAt };
  }

  isSession(token: string): boolean {
    return token.startsWith(SESSION_PREFIX) && this.#sessions.has(token);
  }

  closeSession(token: string): void {
    this.#sessions.delete(token);
  }
}
