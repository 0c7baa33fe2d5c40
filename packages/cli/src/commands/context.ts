import type { AdminClient } from "../admin-client.js";

/** What a command needs from the outside world: injected so tests can run it in-process. */
export interface CommandContext {
  /** Writes text to stdout as is (callers end lines with \n). */
  write(text: string): void;
  /** The admin API client (reads the admin key on first use). */
  client(): Promise<AdminClient>;
  /** Asks the user to type YES before a change (or not, with -yes); throws when refused. */
  confirm(warning: string, assumeYes: boolean): Promise<void>;
}
