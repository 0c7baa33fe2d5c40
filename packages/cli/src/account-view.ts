import { CliError } from "./errors.js";
import type { Region } from "./flag-values.js";

/** The three web integrations, as they appear in admin API paths. */
export const INTEGRATIONS = ["fingerprint", "recaptcha", "hcaptcha"] as const;
export type Integration = (typeof INTEGRATIONS)[number];

export interface ApiView {
  allowWeb: boolean;
  jwe: boolean;
}

export interface HcaptchaSiteView {
  domains: string[];
  minScore: number;
  includeIP: boolean;
  embedResult: boolean;
  maxResultLifetimeSeconds: number;
  rateLimit: number;
}

export interface RecaptchaSiteView extends HcaptchaSiteView {
  actions: string[];
}

export interface FingerprintSubscriptionView {
  region: Region;
  maxElapsedTimeSeconds: number;
  maxBotProbability: number;
  embedResult: boolean;
  maxResultLifetimeSeconds: number;
  rateLimit: number;
}

export interface IntegrationView<Entry> {
  optional: boolean;
  /** Site key (or Fingerprint public key) -> its properties. */
  entries: Record<string, Entry>;
}

/** `GET /admin/v1/account`: the whole configuration, without secrets. */
export interface AccountView {
  siteKey: string;
  tokenLifetimeSeconds: number;
  refreshTokenLifetimeSeconds: number;
  apis: Record<string, ApiView>;
  hcaptcha?: IntegrationView<HcaptchaSiteView>;
  recaptcha?: IntegrationView<RecaptchaSiteView>;
  fingerprint?: IntegrationView<FingerprintSubscriptionView>;
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

function captchaSite(json: Json, where: string): HcaptchaSiteView {
  return {
    domains: strings(json, "domains", where),
    minScore: number(json, "minScore", where, 0),
    includeIP: boolean(json, "includeIP", where, false),
    embedResult: boolean(json, "embedResult", where, false),
    maxResultLifetimeSeconds: number(json, "maxResultLifetimeSeconds", where, 0),
    rateLimit: number(json, "rateLimit", where, 0),
  };
}

function fingerprintSubscription(json: Json, where: string): FingerprintSubscriptionView {
  const region = json.region ?? "RoW";
  if (region !== "RoW" && region !== "EU") throw badAnswer(`${where}.region is not RoW or EU`);
  return {
    region,
    maxElapsedTimeSeconds: number(json, "maxElapsedTimeSeconds", where, 2),
    maxBotProbability: number(json, "maxBotProbability", where, 1),
    embedResult: boolean(json, "embedResult", where, false),
    maxResultLifetimeSeconds: number(json, "maxResultLifetimeSeconds", where, 0),
    rateLimit: number(json, "rateLimit", where, 0),
  };
}

function integration<Entry>(
  value: unknown,
  name: Integration,
  entriesKey: "sites" | "subscriptions",
  entry: (json: Json, where: string) => Entry,
): IntegrationView<Entry> | undefined {
  // An integration this attest build does not know yet is simply absent.
  if (value === undefined) return undefined;
  const json = object(value, name);
  const entries: Record<string, Entry> = {};
  const raw = object(json[entriesKey] ?? {}, `${name}.${entriesKey}`);
  for (const [key, site] of Object.entries(raw)) {
    const where = `${name}.${entriesKey}.${key}`;
    entries[key] = entry(object(site, where), where);
  }
  return { optional: boolean(json, "optional", name, true), entries };
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
  const hcaptcha = integration(json.hcaptcha, "hcaptcha", "sites", captchaSite);
  if (hcaptcha) view.hcaptcha = hcaptcha;
  const recaptcha = integration(json.recaptcha, "recaptcha", "sites", (site, where) => ({
    ...captchaSite(site, where),
    actions: strings(site, "actions", where),
  }));
  if (recaptcha) view.recaptcha = recaptcha;
  const fingerprint = integration(
    json.fingerprint,
    "fingerprint",
    "subscriptions",
    fingerprintSubscription,
  );
  if (fingerprint) view.fingerprint = fingerprint;
  return view;
}
