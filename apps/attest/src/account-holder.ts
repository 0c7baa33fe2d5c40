import type { Account } from "./account.js";
import { parseAccount } from "./account-validate.js";
import { type LiveAccount, liveAccount } from "./live-account.js";

/** The new account version could not be saved: nothing changed, on disk or in memory. */
export class AccountSaveError extends Error {
  override name = "AccountSaveError";
  readonly code = "account-save-failed";
}

/** Saves a new account version durably (account-store's writeAccount in the service). */
export type PersistAccount = (account: Account) => Promise<void>;

/**
 * The current account of the service. Routes read `get()` once per request; admin
 * changes go through `update()`, one at a time: the change is applied to a copy,
 * validated like the file on load, persisted, and only then swapped in, so an answered
 * change is on disk and takes effect for the next request.
 */
export class AccountHolder {
  #current: LiveAccount;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #persist: PersistAccount;
  readonly #now: () => number;

  constructor(account: Account, options: { persist?: PersistAccount; now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#persist = options.persist ?? (async () => {});
    this.#current = liveAccount(structuredClone(account), this.#now);
  }

  get(): LiveAccount {
    return this.#current;
  }

  /**
   * Applies `change` to a copy of the current account and makes it current once saved.
   * `change` may throw to refuse (nothing is saved); its return value is resolved.
   * Changes are serialised: each one sees the result of the previous.
   */
  update<T>(change: (draft: Account) => T): Promise<T> {
    const run = async (): Promise<T> => {
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
    };
    const done = this.#queue.then(run, run);
    // The queue continues whether this change succeeded or not.
    this.#queue = done.catch(() => {});
    return done;
  }
}
