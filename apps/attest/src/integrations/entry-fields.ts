import { MAX_RATE_LIMIT, MAX_REFRESH_LIFETIME_SECONDS } from "@shapes/protocol";
import { bool, fieldPath, int, type Json, secret } from "../account/field-checks.js";
import type { EntryBase } from "./integration.js";

/** The admin API's bounds, declared once in protocol (the CLI checks the same). */
export { MAX_RATE_LIMIT, MAX_REFRESH_LIFETIME_SECONDS as MAX_REFRESH_LIFETIME };

/** The fields every entry has, and the defaults of the ones an admin PUT may omit. */
export const ENTRY_FIELDS = ["secret", "embedResult", "maxResultLifetimeSeconds", "rateLimit"];
export const ENTRY_DEFAULTS = {
  embedResult: false,
  maxResultLifetimeSeconds: 0,
  rateLimit: 0,
} as const;

/** Parses the fields every entry has; `prefix` names the entry in messages ("" for a body). */
export function parseEntryBase(entry: Json, prefix: string): EntryBase {
  const at = (name: string) => fieldPath(prefix, name);
  const d = ENTRY_DEFAULTS;
  return {
    secret: secret(entry.secret, at("secret")),
    embedResult: bool(entry.embedResult, at("embedResult"), d.embedResult),
    maxResultLifetimeSeconds: int(
      entry.maxResultLifetimeSeconds,
      at("maxResultLifetimeSeconds"),
      0,
      MAX_REFRESH_LIFETIME_SECONDS,
      d.maxResultLifetimeSeconds,
    ),
    rateLimit: int(entry.rateLimit, at("rateLimit"), 0, MAX_RATE_LIMIT, d.rateLimit),
  };
}
