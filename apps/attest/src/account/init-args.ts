import { ServiceError } from "../http/service-error.js";
/** What `init` was asked for. */
export interface InitOptions {
  /** Create an account without APIs or web protection entries (when none exists). */
  empty: boolean;
}

/** An argument init does not know: it stops, naming it, rather than ignore it. */
export class InitUsageError extends ServiceError {
  override name = "InitUsageError";
  constructor(message: string) {
    super("init-usage", message);
  }
}

export const INIT_USAGE = "usage: node dist/init.js [--empty]  (or env ATTEST_INIT_EMPTY=1)";

/**
 * `--empty` (or `ATTEST_INIT_EMPTY=1`, for scripts); anything else is refused. The env
 * value must be exactly "1" or "0"/unset, so a typo never silently creates the demo account.
 */
export function initOptions(argv: readonly string[], env: Record<string, string | undefined>) {
  let empty = false;
  for (const arg of argv) {
    if (arg === "--empty") empty = true;
    else throw new InitUsageError(`unknown argument "${arg.slice(0, 100)}" (${INIT_USAGE})`);
  }
  const fromEnv = env.ATTEST_INIT_EMPTY;
  if (fromEnv === "1") empty = true;
  else if (fromEnv !== undefined && fromEnv !== "" && fromEnv !== "0") {
    throw new InitUsageError(`ATTEST_INIT_EMPTY must be 1 or 0 (${INIT_USAGE})`);
  }
  return { empty } satisfies InitOptions;
}
