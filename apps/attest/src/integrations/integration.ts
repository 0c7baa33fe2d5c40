import type { IntegrationDescriptor } from "@shapes/protocol";
import type { ErrorCollector } from "../http/attest-error.js";
import type { GroupedParams } from "../http/group-params.js";
import type { AttestSettings } from "../settings.js";
import type { CheckOutcome } from "./check-outcome.js";
import type { DecoyHostSources } from "./decoy-hostname.js";
import type { VisitSources } from "./visit-sources.js";

/** What every account entry of every integration (a site, a subscription) has. */
export interface EntryBase {
  /** The service's secret for this entry; never logged or returned. */
  secret: string;
  /** Embed the full upstream result, in JWE tokens only (JWS tokens get the minimal one). */
  embedResult: boolean;
  /** How long a result counts in an SDK session (0 = the refresh token lifetime). */
  maxResultLifetimeSeconds: number;
  /** Requests per minute at /attest and /token for this entry's key (0 = unlimited). */
  rateLimit: number;
}

/** One integration's part of the account: whether it is optional, and its entries. */
export type IntegrationSection<Entry extends EntryBase, Key extends string> = {
  /** When false, every initial request must carry this integration's parameters. */
  optional: boolean;
} & Record<Key, Record<string, Entry>>;

/** One integration's check as a request asks for it, validated against the account. */
export interface RequestedCheck<Entry extends EntryBase = EntryBase, Extras = unknown> {
  /** The entry's key (site key, public API key) the request named. */
  key: string;
  entry: Entry;
  /** The result parameters' values by name: all present and non-empty. */
  results: Readonly<Record<string, string>>;
  /** What the integration read of its own further parameters (readParams). */
  extras: Extras;
}

/** What a check may use of the request and the service. */
export interface CheckContext {
  /** The client IP (`remoteip`, the `ip` claim), or UNKNOWN_IP. */
  ip: string;
  /** Where a decoy's hostname may come from. */
  hosts: DecoyHostSources;
  /** The browser's User-Agent and page URL (for a decoy's synthesized visit). */
  visit: VisitSources;
  settings: AttestSettings;
  now: () => number;
}

/**
 * Everything attest knows of one integration, behind one interface: its wire names (the
 * protocol's descriptor), its account entries, its request parameters beyond presence, the
 * upstream check with its decision rules and decoy shape, and the demo account's entries.
 * The registry lists every unit once; the rest of attest loops over it.
 */
export interface IntegrationUnit<Entry extends EntryBase = EntryBase, Extras = unknown> {
  readonly descriptor: IntegrationDescriptor;
  /** Parses one entry (account file or admin body); throws FieldError naming the field. */
  parseEntry(raw: unknown, prefix: string): Entry;
  /**
   * Reads the integration's own parameters beyond the generic presence and emptiness
   * checks (bounds, shapes, `/token`-only extras), reporting problems into `e`.
   */
  readParams(p: GroupedParams, e: ErrorCollector): Extras;
  /** The code's detail when some of its parameters are missing (the seed's wording). */
  mismatchDetail(missing: readonly string[]): string;
  /**
   * Asks the upstream service and applies the entry's rules. Throws UpstreamCheckError
   * (the descriptor's token-check code) when no verdict could be had.
   */
  check(request: RequestedCheck<Entry, Extras>, context: CheckContext): Promise<CheckOutcome>;
  /** The entries of the pre-configured local account (`npm start`). */
  demoEntries(): Record<string, Entry>;
  /** Its upstream URLs in the service's settings: defaults (the sandbox) and env names. */
  readonly settings: IntegrationSettingsSpec;
}

type Env = Record<string, string | undefined>;

/**
 * An integration's part of AttestSettings (its upstream URLs). Each unit declares its own
 * fields; settings.ts merges every unit's.
 */
export interface IntegrationSettingsSpec {
  readonly defaults: object;
  fromEnv(env: Env): object;
}

/** The default wording of a parameter mismatch: every missing name. */
export const listMissing = (missing: readonly string[]): string => `missing: ${missing.join(", ")}`;

/**
 * A unit as the registry holds it: entry and extras types erased, since each unit only
 * ever receives the entries it parsed and the extras it read.
 */
export type AnyIntegrationUnit = IntegrationUnit<EntryBase, unknown>;

export function defineIntegration<Entry extends EntryBase, Extras>(
  unit: IntegrationUnit<Entry, Extras>,
): AnyIntegrationUnit {
  return Object.freeze(unit) as unknown as AnyIntegrationUnit;
}
