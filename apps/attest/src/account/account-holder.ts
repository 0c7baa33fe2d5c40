import { ServiceError } from "../http/service-error.js";
import {
  type SharedAccountDocument,
  SharedAccountInvalidError,
  SharedStoreUnavailableError,
} from "../shared-state/shared-store.js";
import type { Account } from "./account.js";
import { AccountFileError, parseAccount, readAccountJson } from "./account-validate.js";
import { type LiveAccount, liveAccount } from "./live-account.js";

/** The new account version could not be saved: nothing changed, on disk or in memory. */
export class AccountSaveError extends ServiceError {
  override name = "AccountSaveError";
  constructor(message: string, options?: ErrorOptions) {
    super("account-save-failed", message, options);
  }
}

/**
 * The shared account (Redis) could not be read or written: the change was not applied
 * anywhere (the admin API answers 503), the last good account stays in use.
 */
export class AccountUnavailableError extends ServiceError {
  override name = "AccountUnavailableError";
  constructor(message: string, options?: ErrorOptions) {
    super("account-unavailable", message, options);
  }
}

/** Saves a new account version durably (account-store's writeAccount in the service). */
export type PersistAccount = (account: Account) => Promise<void>;

/** A revision of the shared document, validated. */
interface SharedAccount {
  revision: number;
  account: Account;
}

/** What `syncShared` did. */
export type SyncOutcome = "unchanged" | "adopted" | "seeded";

/**
 * How long an instance that never read the shared account waits, seeing the store empty,
 * before seeding it (not at start-up): instances that had it (after Redis lost its data)
 * seed first, so a newcomer's fresh file never replaces the account everyone used.
 */
export const UNSYNCED_SEED_GRACE_MS = 3000;

/** Compare-and-set attempts of one change before it is refused (others kept winning). */
const MAX_CHANGE_ATTEMPTS = 8;

/** Up to 10 ms times the attempt number, random: two instances stop colliding in step. */
const conflictPause = (attempt: number) =>
  new Promise<void>((done) => setTimeout(done, Math.random() * 10 * (attempt + 1)));

const sameAccount = (a: Readonly<Account>, b: Readonly<Account>) =>
  JSON.stringify(a) === JSON.stringify(b);

export interface AccountHolderOptions {
  persist?: PersistAccount;
  now?: () => number;
  /**
   * The account document shared with other instances (REDIS_URL): the source of truth;
   * the file (`persist`) is this instance's local copy.
   */
  shared?: SharedAccountDocument;
  /** A local copy could not be written after a shared change (logged; retried on the next sync). */
  onLocalCopyError?: (error: unknown) => void;
}

/**
 * The current account of the service. Routes read `get()` once per request; admin
 * changes go through `update()`, one at a time: the change is applied to a copy,
 * validated like the file on load, persisted, and only then swapped in, so an answered
 * change is on disk and takes effect for the next request.
 *
 * With a shared document, `update()` applies the change to the shared revision, writes it
 * with a compare-and-set (retried on conflict), then writes the file and announces it;
 * `syncShared()` (on announcements and every few seconds) adopts other instances' changes.
 */
export class AccountHolder {
  #current: LiveAccount;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #persist: PersistAccount;
  readonly #now: () => number;
  readonly #shared: SharedAccountDocument | undefined;
  readonly #onLocalCopyError: (error: unknown) => void;
  /** The shared revision of #current; 0 until the first sync. */
  #revision = 0;
  /** The last local copy failed: the next sync writes it again. */
  #fileStale = false;
  /** Since when this unsynced instance has seen the shared store empty. */
  #emptySinceMs: number | undefined;

  constructor(account: Account, options: AccountHolderOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#persist = options.persist ?? (async () => {});
    this.#shared = options.shared;
    this.#onLocalCopyError = options.onLocalCopyError ?? (() => {});
    this.#current = liveAccount(structuredClone(account), this.#now);
  }

  get(): LiveAccount {
    return this.#current;
  }

  /** The shared revision in use (0: not synced yet, or no shared document). */
  get revision(): number {
    return this.#revision;
  }

  /** False while a shared document is configured but not read yet (Redis down at start). */
  get synced(): boolean {
    return this.#shared === undefined || this.#revision > 0;
  }

  /** Runs `task` after every queued change or sync: one at a time, in order. */
  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    const done = this.#queue.then(task, task);
    // The queue continues whether this task succeeded or not.
    this.#queue = done.catch(() => {});
    return done;
  }

  /**
   * Applies `change` to a copy of the current account and makes it current once saved.
   * `change` may throw to refuse (nothing is saved); its return value is resolved.
   * Changes are serialised: each one sees the result of the previous.
   */
  update<T>(change: (draft: Account) => T): Promise<T> {
    const shared = this.#shared;
    if (shared) return this.#enqueue(() => this.#updateShared(shared, change));
    return this.#enqueue(async () => {
      const draft = structuredClone(this.#current.account) as Account;
      const result = change(draft);
      // The same validation as loading the file: what is saved always loads again.
      const next = parseAccount(JSON.parse(JSON.stringify(draft)));
      try {
        await this.#persist(next);
      } catch (error) {
        // The cause (a file system error) is for the service log, not for the answer.
        throw new AccountSaveError(
          `the account could not be saved (${(error as NodeJS.ErrnoException).code ?? "error"})`,
        );
      }
      this.#current = liveAccount(next, this.#now);
      return result;
    });
  }

  async #updateShared<T>(shared: SharedAccountDocument, change: (draft: Account) => T): Promise<T> {
    for (let attempt = 0; attempt < MAX_CHANGE_ATTEMPTS; attempt++) {
      const remote = await this.#readShared(shared);
      // The shared revision is the base: a change made elsewhere is never lost.
      const base = remote?.account ?? this.#current.account;
      const expected = remote?.revision ?? 0;
      const draft = structuredClone(base) as Account;
      const result = change(draft);
      const next = parseAccount(JSON.parse(JSON.stringify(draft)));
      if (!(await this.#unavailableAs(() => shared.compareAndSet(expected, next)))) {
        // Another instance committed first: a short random pause, then on its revision.
        await conflictPause(attempt);
        continue;
      }
      // Committed: the shared document is the truth from here on, whatever the file does.
      await this.#install(expected + 1, next);
      shared.announce(expected + 1).catch(() => {
        // The others poll: a lost announcement delays them by at most the poll interval.
      });
      return result;
    }
    throw new AccountUnavailableError("the shared account kept changing; try again");
  }

  /**
   * Brings this instance in line with the shared document: adopts a revision other than
   * its own (validated first; an invalid one is refused and the current account kept),
   * or seeds an empty store with the current account: at once at start-up (`startup`) or
   * once synced (Redis lost its data); an instance never synced waits UNSYNCED_SEED_GRACE_MS.
   */
  syncShared(startup = false): Promise<SyncOutcome> {
    const shared = this.#shared;
    if (!shared) return Promise.resolve("unchanged");
    return this.#enqueue(async () => {
      for (let attempt = 0; attempt < MAX_CHANGE_ATTEMPTS; attempt++) {
        // The revision in use, unless the file must be written again (then read it all).
        const known = this.#fileStale ? 0 : this.#revision;
        const remote = await this.#readShared(shared, known);
        if (remote === "unchanged") {
          this.#emptySinceMs = undefined;
          return "unchanged";
        }
        if (remote === undefined) {
          if (!startup && this.#revision === 0) {
            this.#emptySinceMs ??= this.#now();
            if (this.#now() - this.#emptySinceMs < UNSYNCED_SEED_GRACE_MS) return "unchanged";
          }
          const current = this.#current.account as Account;
          if (!(await this.#unavailableAs(() => shared.compareAndSet(0, current)))) continue;
          this.#revision = 1;
          this.#emptySinceMs = undefined;
          shared.announce(1).catch(() => {});
          return "seeded";
        }
        this.#emptySinceMs = undefined;
        if (remote.revision === this.#revision && !this.#fileStale) return "unchanged";
        await this.#install(remote.revision, remote.account);
        return "adopted";
      }
      throw new AccountUnavailableError("the shared account kept changing; try again");
    });
  }

  /** Makes `account` current as `revision`, writing the local copy when it differs. */
  async #install(revision: number, account: Account): Promise<void> {
    const changed = !sameAccount(account, this.#current.account);
    if (changed || this.#fileStale) {
      try {
        await this.#persist(account);
        this.#fileStale = false;
      } catch (error) {
        this.#fileStale = true;
        this.#onLocalCopyError(error);
      }
    }
    if (changed) this.#current = liveAccount(account, this.#now);
    this.#revision = revision;
  }

  /**
   * The shared revision, validated like the account file; undefined when none is stored.
   * With `known` (a revision in use, > 0): "unchanged" when the store still holds it,
   * without reading, parsing or validating the document (the 5 s poll's usual answer).
   */
  async #readShared(shared: SharedAccountDocument): Promise<SharedAccount | undefined>;
  async #readShared(
    shared: SharedAccountDocument,
    known: number,
  ): Promise<SharedAccount | "unchanged" | undefined>;
  async #readShared(
    shared: SharedAccountDocument,
    known?: number,
  ): Promise<SharedAccount | "unchanged" | undefined> {
    const remote = await this.#unavailableAs(() =>
      known ? shared.readIfChanged(known) : shared.read(),
    );
    if (remote === undefined || remote === "unchanged") return remote;
    try {
      const parsed = readAccountJson(remote.account, "shared account");
      // A stored document always has its secrets; generating one here would split instances.
      if (parsed.upgraded)
        throw new SharedAccountInvalidError("shared account: no encryptionSecret");
      return { revision: remote.revision, account: parsed.account };
    } catch (error) {
      if (error instanceof AccountFileError) throw new SharedAccountInvalidError(error.message);
      throw error;
    }
  }

  /** Runs a shared store call; its unavailability becomes AccountUnavailableError. */
  async #unavailableAs<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof SharedStoreUnavailableError) {
        throw new AccountUnavailableError(`the shared account is unavailable: ${error.message}`);
      }
      throw error;
    }
  }
}
