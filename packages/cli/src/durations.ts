import { UsageError } from "./errors.js";

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/**
 * Seconds from a duration flag: a plain number of seconds (`2`, `1.5`) or a number with
 * one unit (`500ms`, `2s`, `5m`, `1h`). `flag` names the option in the error message.
 */
export function parseDuration(flag: string, raw: string): number {
  const match = /^(\d+(?:\.\d+)?|\.\d+)(ms|s|m|h)?$/i.exec(raw.trim());
  if (!match?.[1]) {
    throw new UsageError(
      `${flag} must be a duration in seconds (e.g. 2, 1.5) or with a unit (500ms, 2s, 5m, 1h), got "${raw}"`,
    );
  }
  const unit = (match[2] ?? "s").toLowerCase();
  const seconds = Number(match[1]) * (UNIT_SECONDS[unit] ?? 1);
  // Round away binary noise (0.1 * 3 etc.) at a microsecond: finer is meaningless here.
  return Math.round(seconds * 1e6) / 1e6;
}

/** How the listing prints a whole-second duration (the seed's `Max Result Lifetime: 0s`). */
export function formatSeconds(seconds: number): string {
  return `${seconds}s`;
}
