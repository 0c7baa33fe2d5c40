import { randomBytes, randomUUID } from "node:crypto";
import type { IntegrationDescriptor } from "@shapes/protocol";
import type { EntryBase } from "../integrations/integration.js";
import { INTEGRATION_UNITS, type IntegrationSections } from "../integrations/registry.js";

/** One API domain registered with the account (`approov api -add <domain> [-allowWeb]`). */
export interface ApiConfig {
  /** Whether web protection may issue tokens for this API. */
  allowWeb: boolean;
  /** Whether tokens for this API are encrypted: compact JWEs, A256GCMKW + A256GCM. */
  jwe: boolean;
}

/**
 * The persisted account (`account.json`, format version 1): its keys, lifetimes and APIs,
 * and one section per integration (`{optional, sites|subscriptions}`, see the registry).
 */
export type Account = AccountCore & IntegrationSections;

export interface AccountCore {
  version: 1;
  /** The Approov site key (UUID v4) the browser sends as `approov-site-key`. */
  siteKey: string;
  /** Base64 of the 32-byte account secret: the HS256 key of valid tokens. */
  secret: string;
  /**
   * Base64 of 32 random bytes: the A256GCMKW key of JWE tokens (APIs with `jwe`). The root
   * start script hands it to backends as APPROOV_ENCRYPTION_SECRET: keep the name.
   */
  encryptionSecret: string;
  tokenLifetimeSeconds: number;
  refreshTokenLifetimeSeconds: number;
  apis: Record<string, ApiConfig>;
}

/** One integration's section, read without knowing which integration it is. */
export interface GenericSection {
  optional: boolean;
  entries: Readonly<Record<string, EntryBase>>;
}

export function sectionOf(
  account: Readonly<Account>,
  descriptor: IntegrationDescriptor,
): GenericSection {
  const section = (account as unknown as Record<string, Record<string, unknown>>)[
    descriptor.name
  ] as { optional: boolean } & Record<string, Record<string, EntryBase> | undefined>;
  return { optional: section.optional, entries: section[descriptor.entriesKey] ?? {} };
}

export const ACCOUNT_SECRET_BYTES = 32;
export const ENCRYPTION_SECRET_BYTES = 32;

/** A fresh encryption secret (base64 of 32 random bytes). */
export function newEncryptionSecret(): string {
  return randomBytes(ENCRYPTION_SECRET_BYTES).toString("base64");
}

/** Every integration's section, each with the entries `entries` gives it. */
function sections(entries: (unit: (typeof INTEGRATION_UNITS)[number]) => object) {
  return Object.fromEntries(
    INTEGRATION_UNITS.map((unit) => [
      unit.descriptor.name,
      { optional: true, [unit.descriptor.entriesKey]: entries(unit) },
    ]),
  ) as unknown as IntegrationSections;
}

/**
 * An account with its keys and default lifetimes but no API and no web protection entry
 * (`init --empty`): the quickstart's starting point, configured with the `approov` CLI.
 */
export function createEmptyAccount(): Account {
  return { ...createDefaultAccount(), apis: {}, ...sections(() => ({})) };
}

/**
 * The pre-configured local account: the `localhost` API with web access, and each
 * integration's demo entries (its published test keys, or generated secrets of the shape
 * the sandbox accepts).
 */
export function createDefaultAccount(): Account {
  return {
    version: 1,
    siteKey: randomUUID(),
    secret: randomBytes(ACCOUNT_SECRET_BYTES).toString("base64"),
    encryptionSecret: newEncryptionSecret(),
    tokenLifetimeSeconds: 120,
    refreshTokenLifetimeSeconds: 7200,
    apis: { localhost: { allowWeb: true, jwe: false } },
    ...sections((unit) => unit.demoEntries()),
  };
}
