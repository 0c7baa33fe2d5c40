import type { ReplayStore } from "@shapes/verifier";
import type { Account } from "../account/account.js";
import { ServiceError } from "../http/service-error.js";

/** One key's limit, for `takeAll`. */
export interface RateLimitEntry {
  key: string;
  /** Requests per minute; 0 = unlimited (never counted, never stored). */
  limitPerMinute: number;
}

/**
 * Per-minute request counts per key (a site key's `rateLimit`): a token bucket holding up
 * to `limit` requests, refilled at `limit` per 60 s. `takeAll` counts one request against
 * every entry, all or nothing: when any key is over its limit nothing is counted. Answers,
 * per entry, undefined when it may pass, else whole seconds until it may.
 */
export interface RateLimitStore {
  takeAll(entries: readonly RateLimitEntry[]): Promise<(number | undefined)[]>;
}

/** The shared store could not answer (down, restarting, too slow): callers fail closed. */
export class SharedStoreUnavailableError extends ServiceError {
  override name = "SharedStoreUnavailableError";
  constructor(message: string, options?: ErrorOptions) {
    super("shared-store-unavailable", message, options);
  }
}

/** One revision of the shared account document (`approov:account`). */
export interface SharedAccountRevision {
  /** The version counter: 1 for the first document, +1 per change. */
  revision: number;
  /** As stored: the caller validates it like the account file. */
  account: unknown;
}

/**
 * The account document every instance shares (Redis: the source of truth). The data-dir
 * file stays each instance's local copy. Every method throws SharedStoreUnavailableError
 * when the store cannot answer.
 */
export interface SharedAccountDocument {
  /** The current revision; undefined when there is none (an empty or flushed store). */
  read(): Promise<SharedAccountRevision | undefined>;
  /**
   * Like `read`, but "unchanged" when the stored revision is still `known`, found without
   * reading or parsing the document (the poll's common case).
   */
  readIfChanged(known: number): Promise<SharedAccountRevision | "unchanged" | undefined>;
  /**
   * Stores `account` as revision `expected + 1` if the stored revision is still `expected`
   * (0: none stored), atomically. False on conflict (another instance changed it first).
   */
  compareAndSet(expected: number, account: Account): Promise<boolean>;
  /** Tells every instance that `revision` is there (best effort: they also poll). */
  announce(revision: number): Promise<void>;
  /**
   * Calls `listener` when another instance announces a change, and after each reconnect
   * (announcements may have been missed meanwhile).
   */
  onChange(listener: () => void): void;
}

export type SharedStoreHealth = "up" | "down";

/**
 * State the attest instances of one account share: the DPoP replay cache, rate-limit
 * buckets and (Redis only) the account document. Nonces need no entry here: they are
 * stateless HMACs under a key derived from the account secret (dpop-nonce.ts), so every
 * instance verifies every instance's nonces.
 *
 * `checkAndRemember` is @shapes/verifier's ReplayStore contract; it and `takeAll` throw
 * SharedStoreUnavailableError rather than guess when the store cannot answer.
 */
export interface SharedStore extends ReplayStore, RateLimitStore {
  readonly kind: "memory" | "redis";
  /** The shared account document; undefined in memory (the process's own file only). */
  readonly account?: SharedAccountDocument;
  /** Whether the store answers right now (memory: always). */
  health(): Promise<SharedStoreHealth>;
  close(): Promise<void>;
}

/**
 * The shared account document cannot be used by this instance (not JSON, no revision, or
 * an account this version does not accept, e.g. written by a newer attest): the instance
 * keeps its last good account and refuses admin changes until it can read it again.
 */
export class SharedAccountInvalidError extends ServiceError {
  override name = "SharedAccountInvalidError";
  constructor(message: string) {
    super("shared-account-invalid", message);
  }
}
