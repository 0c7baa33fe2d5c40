import {
  type FingerprintSubscriptionConfig,
  type HcaptchaSiteConfig,
  type RecaptchaSiteConfig,
  SITE_DEFAULTS,
  SUBSCRIPTION_DEFAULTS,
} from "../account/account.js";
import {
  bool,
  fieldPath,
  fraction,
  hostList,
  int,
  object,
  oneOf,
  onlyKnown,
  positiveSeconds,
  secret,
  textList,
} from "../account/field-checks.js";

/** The three web integrations, as named in the account file and admin paths. */
export const INTEGRATIONS = ["hcaptcha", "recaptcha", "fingerprint"] as const;
export type IntegrationName = (typeof INTEGRATIONS)[number];

/** Where an integration keeps its entries: sites, or Fingerprint's subscriptions. */
export const ENTRIES_KEY = {
  hcaptcha: "sites",
  recaptcha: "sites",
  fingerprint: "subscriptions",
} as const satisfies Record<IntegrationName, string>;

export const MAX_REFRESH_LIFETIME = 30 * 86_400;
export const MAX_RATE_LIMIT = 1_000_000;
/** Fingerprint's get() to token fetch: 2 s by default; an hour is far past any real use. */
export const MAX_ELAPSED_TIME_SECONDS = 3600;

const CAPTCHA_FIELDS = [
  "secret",
  "domains",
  "minScore",
  "includeIP",
  "embedResult",
  "maxResultLifetimeSeconds",
  "rateLimit",
] as const;

/**
 * One hCaptcha site's properties. `prefix` names the entry in messages (`hcaptcha.sites["k"]`
 * in the file, "" for an admin body); omitted properties take the defaults of admin-api.md.
 */
export function parseHcaptchaSite(raw: unknown, prefix: string): HcaptchaSiteConfig {
  const at = (name: string) => fieldPath(prefix, name);
  const site = object(raw, prefix || "the body");
  onlyKnown(site, prefix, CAPTCHA_FIELDS);
  return {
    secret: secret(site.secret, at("secret")),
    domains: hostList(site.domains, at("domains")),
    minScore: fraction(site.minScore, at("minScore"), SITE_DEFAULTS.minScore),
    includeIP: bool(site.includeIP, at("includeIP"), SITE_DEFAULTS.includeIP),
    embedResult: bool(site.embedResult, at("embedResult"), SITE_DEFAULTS.embedResult),
    maxResultLifetimeSeconds: int(
      site.maxResultLifetimeSeconds,
      at("maxResultLifetimeSeconds"),
      0,
      MAX_REFRESH_LIFETIME,
      SITE_DEFAULTS.maxResultLifetimeSeconds,
    ),
    rateLimit: int(site.rateLimit, at("rateLimit"), 0, MAX_RATE_LIMIT, SITE_DEFAULTS.rateLimit),
  };
}

/** One reCAPTCHA site: the hCaptcha properties plus `actions`. */
export function parseRecaptchaSite(raw: unknown, prefix: string): RecaptchaSiteConfig {
  const site = object(raw, prefix || "the body");
  onlyKnown(site, prefix, [...CAPTCHA_FIELDS, "actions"]);
  const { actions, ...rest } = site;
  return {
    ...parseHcaptchaSite(rest, prefix),
    actions: textList(actions, fieldPath(prefix, "actions")),
  };
}

/** One Fingerprint subscription (keyed by its public API key). */
export function parseFingerprintSubscription(
  raw: unknown,
  prefix: string,
): FingerprintSubscriptionConfig {
  const at = (name: string) => fieldPath(prefix, name);
  const sub = object(raw, prefix || "the body");
  const d = SUBSCRIPTION_DEFAULTS;
  onlyKnown(sub, prefix, [
    "secret",
    "region",
    "maxElapsedTimeSeconds",
    "maxBotProbability",
    "embedResult",
    "maxResultLifetimeSeconds",
    "rateLimit",
  ]);
  return {
    secret: secret(sub.secret, at("secret")),
    region: oneOf(sub.region, at("region"), ["RoW", "EU"], d.region),
    maxElapsedTimeSeconds: positiveSeconds(
      sub.maxElapsedTimeSeconds,
      at("maxElapsedTimeSeconds"),
      MAX_ELAPSED_TIME_SECONDS,
      d.maxElapsedTimeSeconds,
    ),
    maxBotProbability: fraction(
      sub.maxBotProbability,
      at("maxBotProbability"),
      d.maxBotProbability,
    ),
    embedResult: bool(sub.embedResult, at("embedResult"), d.embedResult),
    maxResultLifetimeSeconds: int(
      sub.maxResultLifetimeSeconds,
      at("maxResultLifetimeSeconds"),
      0,
      MAX_REFRESH_LIFETIME,
      d.maxResultLifetimeSeconds,
    ),
    rateLimit: int(sub.rateLimit, at("rateLimit"), 0, MAX_RATE_LIMIT, d.rateLimit),
  };
}

/** The entry parser of each integration. */
export const ENTRY_PARSERS = {
  hcaptcha: parseHcaptchaSite,
  recaptcha: parseRecaptchaSite,
  fingerprint: parseFingerprintSubscription,
} as const;
