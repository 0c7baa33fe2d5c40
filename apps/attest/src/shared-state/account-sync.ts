import type { AccountHolder } from "../account/account-holder.js";
import { type LogWriter, logLine } from "../observability/log-line.js";
import type { SharedAccountDocument } from "./shared-store.js";

export const ACCOUNT_POLL_MS = 5000;

export interface AccountSyncOptions {
  /** The safety net for missed announcements. */
  pollMs?: number;
  logWriter: LogWriter;
  now?: () => number;
}

/**
 * Keeps an instance's account in line with the shared document: a check on every
 * announcement (and reconnect), and every `pollMs`. Checks never overlap: one arriving
 * during another runs once after it. Failures are logged once per kind, not every poll.
 */
export class AccountSync {
  readonly #holder: AccountHolder;
  readonly #pollMs: number;
  readonly #write: LogWriter;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  /** A check arrived during the running one: undefined, or whether it was the start-up one. */
  #again: boolean | undefined;
  /** The last failure logged (its error name), cleared by a success. */
  #failing: string | undefined;

  constructor(holder: AccountHolder, document: SharedAccountDocument, options: AccountSyncOptions) {
    this.#holder = holder;
    this.#pollMs = options.pollMs ?? ACCOUNT_POLL_MS;
    this.#write = options.logWriter;
    this.#now = options.now ?? Date.now;
    document.onChange(() => {
      void this.check();
    });
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.check(), this.#pollMs);
    // Polling alone never keeps the process alive.
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * One sync now (or right after the one running); resolves when it is done. `startup`:
   * the start-up check, which may seed an empty store at once.
   */
  check(startup = false): Promise<void> {
    if (this.#running) {
      this.#again = (this.#again ?? false) || startup;
      return this.#running.then(() => this.#running);
    }
    this.#running = this.#run(startup).finally(() => {
      this.#running = undefined;
      const again = this.#again;
      this.#again = undefined;
      if (again !== undefined) void this.check(again);
    });
    return this.#running;
  }

  async #run(startup: boolean): Promise<void> {
    try {
      const outcome = await this.#holder.syncShared(startup);
      if (this.#failing !== undefined) {
        this.#failing = undefined;
        this.#log("info", "shared account in sync again");
      }
      if (outcome !== "unchanged") {
        this.#log("info", outcome === "seeded" ? "shared account seeded" : "shared account loaded");
      }
    } catch (error) {
      const name = (error as Error)?.name ?? "error";
      if (this.#failing === name) return;
      this.#failing = name;
      // The message names the store or the bad field, never a value of a secret.
      this.#log("warn", "shared account not synced; keeping the last good one", {
        error: name,
        detail: (error as Error)?.message ?? "",
      });
    }
  }

  #log(level: "info" | "warn", msg: string, fields: Record<string, unknown> = {}): void {
    this.#write(
      logLine(this.#now(), level, msg, undefined, { revision: this.#holder.revision, ...fields }),
    );
  }
}
