import {
  type ApiView,
  type EntryField,
  FINGERPRINT_REGIONS,
  INTEGRATIONS,
  type Integration,
  type IntegrationDescriptor,
} from "@shapes/protocol";
import { CliError } from "./errors.js";

export type { ApiView };
export { INTEGRATIONS, type Integration };

/** One entry (site, subscription) as the admin API answers it: its fields but the secret. */
export type EntryView = Record<string, unknown>;

export interface IntegrationView {
  optional: boolean;
  /** Site key (or Fingerprint public key) -> its properties. */
  entries: Record<string, EntryView>;
}

/** `GET /admin/v1/account`: the whole configuration, without secrets. */
export interface AccountView {
  siteKey: string;
  tokenLifetimeSeconds: number;
  refreshTokenLifetimeSeconds: number;
  apis: Record<string, ApiView>;
  /** Each integration this attest knows, by name (an unknown one is simply absent). */
  [integration: string]: unknown;
}

type Json = Record<string, unknown>;

function badAnswer(what: string): CliError {
  return new CliError("bad-answer", `unexpected answer from the attest service: ${what}`);
}

function object(value: unknown, where: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badAnswer(`${where} is not an object`);
  }
  return value as Json;
}

function number(json: Json, key: string, where: string, fallback?: number): number {
  const value = json[key] ?? fallback;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw badAnswer(`${where}.${key} is not a number`);
  }
  return value;
}

function boolean(json: Json, key: string, where: string, fallback?: boolean): boolean {
  const value = json[key] ?? fallback;
  if (typeof value !== "boolean") throw badAnswer(`${where}.${key} is not true or false`);
  return value;
}

function strings(json: Json, key: string, where: string): string[] {
  const value = json[key] ?? [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw badAnswer(`${where}.${key} is not a list of strings`);
  }
  return value as string[];
}

/** One field of an entry, checked by its kind (an omitted one takes its default). */
function fieldValue(json: Json, field: EntryField, where: string): unknown {
  switch (field.kind) {
    case "hosts":
    case "texts":
      return strings(json, field.name, where);
    case "boolean":
      return boolean(json, field.name, where, field.default as boolean);
    case "region": {
      const region = json[field.name] ?? field.default;
      if (!(FINGERPRINT_REGIONS as readonly unknown[]).includes(region)) {
        throw badAnswer(`${where}.${field.name} is not ${FINGERPRINT_REGIONS.join(" or ")}`);
      }
      return region;
    }
    default:
      return number(json, field.name, where, field.default as number);
  }
}

function entryView(json: Json, descriptor: IntegrationDescriptor, where: string): EntryView {
  const entry: EntryView = {};
  for (const field of descriptor.entryFields) {
    if (field.kind !== "secret") entry[field.name] = fieldValue(json, field, where);
  }
  return entry;
}

function integrationView(value: unknown, d: IntegrationDescriptor): IntegrationView {
  const json = object(value, d.name);
  const entries: Record<string, EntryView> = {};
  const raw = object(json[d.entriesKey] ?? {}, `${d.name}.${d.entriesKey}`);
  for (const [key, site] of Object.entries(raw)) {
    const where = `${d.name}.${d.entriesKey}.${key}`;
    entries[key] = entryView(object(site, where), d, where);
  }
  return { optional: boolean(json, "optional", d.name, true), entries };
}

/** An integration's part of the account view (undefined when attest has none). */
export function integrationOf(account: AccountView, name: string): IntegrationView | undefined {
  return account[name] as IntegrationView | undefined;
}

/** Checks the shape of `GET /account` so a listing never prints `undefined`. */
export function parseAccountView(value: unknown): AccountView {
  const json = object(value, "account");
  if (typeof json.siteKey !== "string") throw badAnswer("account.siteKey is not a string");
  const apis: Record<string, ApiView> = {};
  for (const [domain, api] of Object.entries(object(json.apis ?? {}, "apis"))) {
    const where = `apis.${domain}`;
    const entry = object(api, where);
    apis[domain] = {
      allowWeb: boolean(entry, "allowWeb", where),
      jwe: boolean(entry, "jwe", where, false),
    };
  }
  const view: AccountView = {
    siteKey: json.siteKey,
    tokenLifetimeSeconds: number(json, "tokenLifetimeSeconds", "account"),
    refreshTokenLifetimeSeconds: number(json, "refreshTokenLifetimeSeconds", "account"),
    apis,
  };
  for (const descriptor of INTEGRATIONS) {
    // An integration this attest build does not know yet is simply absent.
    const section = json[descriptor.name];
    if (section !== undefined) view[descriptor.name] = integrationView(section, descriptor);
  }
  return view;
}
