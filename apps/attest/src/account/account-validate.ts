import { MAX_TOKEN_LIFETIME_SECONDS as MAX_TOKEN_LIFETIME } from "@shapes/protocol";
import { ServiceError } from "../http/service-error.js";
import { MAX_REFRESH_LIFETIME } from "../integrations/entry-fields.js";
import type { AnyIntegrationUnit } from "../integrations/integration.js";
import { INTEGRATION_UNITS, type IntegrationSections } from "../integrations/registry.js";
import {
  ACCOUNT_SECRET_BYTES,
  type Account,
  type ApiConfig,
  ENCRYPTION_SECRET_BYTES,
  newEncryptionSecret,
} from "./account.js";
import { bool, FieldError, fail, int, type Json, object, onlyKnown } from "./field-checks.js";

/** The account file is unreadable, not JSON, or has a bad field (the message names it). */
export class AccountFileError extends ServiceError {
  override name = "AccountFileError";
  constructor(
    override readonly code: "account-unreadable" | "account-corrupt" | "account-invalid",
    message: string,
    /** account-invalid: the bad field's path, e.g. `<integration>.sites["k"].minScore`. */
    readonly field?: string,
  ) {
    super(code, message);
  }
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const MAX_KEY_LENGTH = 256;

export { MAX_REFRESH_LIFETIME };

const ROOT_FIELDS = [
  "version",
  "siteKey",
  "secret",
  "encryptionSecret",
  "tokenLifetimeSeconds",
  "refreshTokenLifetimeSeconds",
  "apis",
  ...INTEGRATION_UNITS.map((unit) => unit.descriptor.name),
];

/** What reading an account file found: the account, and whether the file needs a rewrite. */
export interface ParsedAccount {
  account: Account;
  /** An older v1 file without `encryptionSecret`: one was generated and must be saved. */
  upgraded: boolean;
}

function base64Secret(v: unknown, field: string, bytes: number): string {
  if (
    typeof v !== "string" ||
    Buffer.from(v, "base64").length !== bytes ||
    Buffer.from(v, "base64").toString("base64") !== v
  ) {
    fail(field, `must be the base64 of ${bytes} bytes`);
  }
  return v as string;
}

function mapKey(key: string, field: string): void {
  if (key === "" || key.length > MAX_KEY_LENGTH) {
    fail(field, `keys must be 1 to ${MAX_KEY_LENGTH} characters`);
  }
}

function parseApis(value: unknown): Record<string, ApiConfig> {
  const apisJson = object(value, "apis");
  // Entries + fromEntries: a key like "__proto__" stays an own property.
  const apis: [string, ApiConfig][] = [];
  for (const [name, raw] of Object.entries(apisJson)) {
    const field = `apis[${JSON.stringify(name)}]`;
    mapKey(name, "apis");
    const api = object(raw, field);
    onlyKnown(api, field, ["allowWeb", "jwe"]);
    apis.push([
      name,
      {
        allowWeb: bool(api.allowWeb, `${field}.allowWeb`, false),
        jwe: bool(api.jwe, `${field}.jwe`, false),
      },
    ]);
  }
  return Object.fromEntries(apis);
}

/** An integration section; an account without it simply has no entries there. */
function parseIntegration(unit: AnyIntegrationUnit, value: unknown) {
  const { name, entriesKey } = unit.descriptor;
  if (value === undefined) return { optional: true, [entriesKey]: {} };
  const section = object(value, name);
  onlyKnown(section, name, ["optional", entriesKey]);
  const raw: Json =
    section[entriesKey] === undefined ? {} : object(section[entriesKey], `${name}.${entriesKey}`);
  const entries = Object.entries(raw).map(([key, entry]) => {
    mapKey(key, `${name}.${entriesKey}`);
    return [key, unit.parseEntry(entry, `${name}.${entriesKey}[${JSON.stringify(key)}]`)];
  });
  return {
    optional: bool(section.optional, `${name}.optional`, true),
    [entriesKey]: Object.fromEntries(entries),
  };
}

/** Every integration's section of the file. */
function parseSections(root: Json): IntegrationSections {
  return Object.fromEntries(
    INTEGRATION_UNITS.map((unit) => [
      unit.descriptor.name,
      parseIntegration(unit, root[unit.descriptor.name]),
    ]),
  ) as unknown as IntegrationSections;
}

function parseRoot(value: unknown): ParsedAccount {
  const root = object(value, "the file");
  onlyKnown(root, "", ROOT_FIELDS);
  if (root.version !== 1) fail("version", "must be 1");
  const siteKey =
    typeof root.siteKey === "string" && UUID_V4.test(root.siteKey)
      ? root.siteKey
      : fail("siteKey", "must be a UUID v4");
  const upgraded = root.encryptionSecret === undefined;
  const account: Account = {
    version: 1,
    siteKey,
    secret: base64Secret(root.secret, "secret", ACCOUNT_SECRET_BYTES),
    encryptionSecret: upgraded
      ? newEncryptionSecret()
      : base64Secret(root.encryptionSecret, "encryptionSecret", ENCRYPTION_SECRET_BYTES),
    tokenLifetimeSeconds: int(
      root.tokenLifetimeSeconds,
      "tokenLifetimeSeconds",
      1,
      MAX_TOKEN_LIFETIME,
    ),
    refreshTokenLifetimeSeconds: int(
      root.refreshTokenLifetimeSeconds,
      "refreshTokenLifetimeSeconds",
      1,
      MAX_REFRESH_LIFETIME,
    ),
    apis: parseApis(root.apis),
    ...parseSections(root),
  };
  return { account, upgraded };
}

/**
 * Validates an account file's parsed JSON; `file` prefixes every error message. A file
 * without `encryptionSecret` (written before JWE support) gets a fresh one: `upgraded`.
 */
export function readAccountJson(value: unknown, file = "account.json"): ParsedAccount {
  try {
    return parseRoot(value);
  } catch (error) {
    if (!(error instanceof FieldError)) throw error;
    throw new AccountFileError("account-invalid", `${file}: ${error.message}`, error.field);
  }
}

/** Validates an account file's parsed JSON; `file` prefixes every error message. */
export function parseAccount(value: unknown, file = "account.json"): Account {
  return readAccountJson(value, file).account;
}
