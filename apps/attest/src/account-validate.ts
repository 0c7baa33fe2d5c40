import {
  ACCOUNT_SECRET_BYTES,
  type Account,
  type ApiConfig,
  type HcaptchaConfig,
  type HcaptchaSiteConfig,
} from "./account.js";

/** The account file is unreadable, not JSON, or has a bad field (the message names it). */
export class AccountFileError extends Error {
  override name = "AccountFileError";
  constructor(
    readonly code: "account-unreadable" | "account-corrupt" | "account-invalid",
    message: string,
  ) {
    super(message);
  }
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const MAX_KEY_LENGTH = 256;
const MAX_TOKEN_LIFETIME = 86_400;
const MAX_REFRESH_LIFETIME = 30 * 86_400;

type Json = Record<string, unknown>;

/** Validates an account file's parsed JSON; `file` prefixes every error message. */
export function parseAccount(value: unknown, file = "account.json"): Account {
  const fail = (field: string, problem: string): never => {
    throw new AccountFileError("account-invalid", `${file}: ${field} ${problem}`);
  };
  const object = (v: unknown, field: string): Json =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? (v as Json)
      : fail(field, "must be an object");
  // Unknown fields are refused so that a typo (e.g. "minscore") is not silently ignored.
  const onlyKnown = (o: Json, field: string, known: readonly string[]) => {
    for (const key of Object.keys(o)) {
      if (!known.includes(key)) fail(`${field}${field ? "." : ""}${key}`, "is not a known field");
    }
  };
  const bool = (v: unknown, field: string, fallback?: boolean): boolean => {
    if (v === undefined && fallback !== undefined) return fallback;
    return typeof v === "boolean" ? v : fail(field, "must be true or false");
  };
  const int = (v: unknown, field: string, min: number, max: number, fallback?: number) => {
    if (v === undefined && fallback !== undefined) return fallback;
    return typeof v === "number" && Number.isInteger(v) && v >= min && v <= max
      ? v
      : fail(field, `must be a whole number between ${min} and ${max}`);
  };
  const mapKey = (key: string, field: string) => {
    if (key === "" || key.length > MAX_KEY_LENGTH) {
      fail(field, `keys must be 1 to ${MAX_KEY_LENGTH} characters`);
    }
  };

  const root = object(value, "the file");
  onlyKnown(root, "", [
    "version",
    "siteKey",
    "secret",
    "tokenLifetimeSeconds",
    "refreshTokenLifetimeSeconds",
    "apis",
    "hcaptcha",
  ]);
  if (root.version !== 1) fail("version", "must be 1");
  const siteKey =
    typeof root.siteKey === "string" && UUID_V4.test(root.siteKey)
      ? root.siteKey
      : fail("siteKey", "must be a UUID v4");
  const secret = root.secret;
  if (
    typeof secret !== "string" ||
    Buffer.from(secret, "base64").length !== ACCOUNT_SECRET_BYTES ||
    Buffer.from(secret, "base64").toString("base64") !== secret
  ) {
    fail("secret", `must be the base64 of ${ACCOUNT_SECRET_BYTES} bytes`);
  }

  const apisJson = object(root.apis, "apis");
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

  return {
    version: 1,
    siteKey,
    secret: secret as string,
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
    apis: Object.fromEntries(apis),
    hcaptcha: parseHcaptcha(root.hcaptcha, { fail, object, onlyKnown, bool, int, mapKey }),
  };
}

interface Checks {
  fail: (field: string, problem: string) => never;
  object: (v: unknown, field: string) => Json;
  onlyKnown: (o: Json, field: string, known: readonly string[]) => void;
  bool: (v: unknown, field: string, fallback?: boolean) => boolean;
  int: (v: unknown, field: string, min: number, max: number, fallback?: number) => number;
  mapKey: (key: string, field: string) => void;
}

function parseHcaptcha(value: unknown, c: Checks): HcaptchaConfig {
  // An account without the section simply has no hCaptcha sites.
  if (value === undefined) return { optional: true, sites: {} };
  const section = c.object(value, "hcaptcha");
  c.onlyKnown(section, "hcaptcha", ["optional", "sites"]);
  const sitesJson = section.sites === undefined ? {} : c.object(section.sites, "hcaptcha.sites");
  const sites: [string, HcaptchaSiteConfig][] = [];
  for (const [key, raw] of Object.entries(sitesJson)) {
    const field = `hcaptcha.sites[${JSON.stringify(key)}]`;
    c.mapKey(key, "hcaptcha.sites");
    const site = c.object(raw, field);
    c.onlyKnown(site, field, [
      "secret",
      "domains",
      "minScore",
      "includeIP",
      "embedResult",
      "maxResultLifetimeSeconds",
      "rateLimit",
    ]);
    if (typeof site.secret !== "string" || site.secret === "") {
      c.fail(`${field}.secret`, "must be a non-empty string");
    }
    const domains = site.domains ?? [];
    if (
      !Array.isArray(domains) ||
      !domains.every((d) => typeof d === "string" && d !== "" && d.length <= 253)
    ) {
      c.fail(`${field}.domains`, "must be a list of host names");
    }
    const minScore = site.minScore ?? 0;
    if (typeof minScore !== "number" || !(minScore >= 0 && minScore <= 1)) {
      c.fail(`${field}.minScore`, "must be a number between 0 and 1");
    }
    sites.push([
      key,
      {
        secret: site.secret as string,
        domains: (domains as string[]).map((d) => d.toLowerCase()),
        minScore: minScore as number,
        includeIP: c.bool(site.includeIP, `${field}.includeIP`, false),
        embedResult: c.bool(site.embedResult, `${field}.embedResult`, false),
        maxResultLifetimeSeconds: c.int(
          site.maxResultLifetimeSeconds,
          `${field}.maxResultLifetimeSeconds`,
          0,
          MAX_REFRESH_LIFETIME,
          0,
        ),
        rateLimit: c.int(site.rateLimit, `${field}.rateLimit`, 0, 1_000_000, 0),
      },
    ]);
  }
  return {
    optional: c.bool(section.optional, "hcaptcha.optional", true),
    sites: Object.fromEntries(sites),
  };
}
