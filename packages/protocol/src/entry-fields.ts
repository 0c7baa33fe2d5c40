/**
 * The admin API's account entries (a site, a subscription), field by field: each field's
 * JSON name, kind, default (what an admin PUT may omit), bounds, `approov web -add` flag and
 * `approov web -list` label. An integration's descriptor lists its fields in the order the
 * listing prints them; the CLI derives its flags, parsing and listing from them.
 */

export type EntryFieldKind =
  /** The service's secret: required, never shown. */
  | "secret"
  /** Host names results may come from (a repeatable flag). */
  | "hosts"
  /** Short texts, e.g. actions (a repeatable flag). */
  | "texts"
  /** A number in 0..1, listed with two decimals. */
  | "fraction"
  /** A switch (present = true). */
  | "boolean"
  /** Whole seconds, listed as `<n>s`. */
  | "seconds"
  /** Seconds above 0, fractional allowed, listed with two decimals and `s`. */
  | "positive-seconds"
  /** A whole number, listed only when not 0. */
  | "whole"
  /** Fingerprint's region. */
  | "region";

export interface EntryField {
  /** The JSON property in the admin API's bodies and answers. */
  readonly name: string;
  readonly kind: EntryFieldKind;
  /** The `approov web -add` flag setting it (the seed's spelling). */
  readonly flag: string;
  /** How `approov web -list` names it (the seed's wording); none for the secret. */
  readonly label: string;
  /** The value when omitted; none for the secret, which is required. */
  readonly default?: unknown;
  /** Upper bound of numbers. */
  readonly max?: number;
}

/** Longest refresh token (and result) lifetime: 30 days. */
export const MAX_REFRESH_LIFETIME_SECONDS = 30 * 86_400;
export const MAX_RATE_LIMIT = 1_000_000;
/** Fingerprint's get() to token fetch: 2 s by default; an hour is far past any real use. */
export const MAX_ELAPSED_TIME_SECONDS = 3600;
/** At most this many values in one list field (domains, actions). */
export const MAX_LIST_ENTRIES = 50;

export const FINGERPRINT_REGIONS = ["RoW", "EU"] as const;

const field = (spec: EntryField): EntryField => Object.freeze(spec);

export const SECRET_FIELD = field({ name: "secret", kind: "secret", flag: "secret", label: "" });
export const DOMAINS_FIELD = field({
  name: "domains",
  kind: "hosts",
  flag: "domain",
  label: "Domains",
  default: [],
});
export const ACTIONS_FIELD = field({
  name: "actions",
  kind: "texts",
  flag: "action",
  label: "Actions",
  default: [],
});
export const MIN_SCORE_FIELD = field({
  name: "minScore",
  kind: "fraction",
  flag: "minScore",
  label: "Min Score",
  default: 0,
});
export const INCLUDE_IP_FIELD = field({
  name: "includeIP",
  kind: "boolean",
  flag: "includeIP",
  label: "Include IP",
  default: false,
});
export const REGION_FIELD = field({
  name: "region",
  kind: "region",
  flag: "region",
  label: "Region",
  default: "RoW",
});
export const MAX_ELAPSED_TIME_FIELD = field({
  name: "maxElapsedTimeSeconds",
  kind: "positive-seconds",
  flag: "maxElapsedTime",
  label: "Max Elapsed Time",
  default: 2,
  max: MAX_ELAPSED_TIME_SECONDS,
});
export const MAX_BOT_PROBABILITY_FIELD = field({
  name: "maxBotProbability",
  kind: "fraction",
  flag: "maxBotProbability",
  label: "Max Bot Probability",
  default: 1,
});

/** What every entry has, after its own fields. */
export const COMMON_ENTRY_FIELDS: readonly EntryField[] = [
  field({
    name: "embedResult",
    kind: "boolean",
    flag: "embedResult",
    label: "Embed Result",
    default: false,
  }),
  field({
    name: "maxResultLifetimeSeconds",
    kind: "seconds",
    flag: "maxResultLifetime",
    label: "Max Result Lifetime",
    default: 0,
    max: MAX_REFRESH_LIFETIME_SECONDS,
  }),
  field({
    name: "rateLimit",
    kind: "whole",
    flag: "rateLimit",
    label: "Rate Limit",
    default: 0,
    max: MAX_RATE_LIMIT,
  }),
];

/** The defaults of an integration's fields: what an admin PUT with only a secret stores. */
export function entryDefaults(fields: readonly EntryField[]): Record<string, unknown> {
  return Object.fromEntries(
    fields.filter((f) => f.kind !== "secret").map((f) => [f.name, f.default]),
  );
}
