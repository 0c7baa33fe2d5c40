import {
  ACTIONS_FIELD,
  COMMON_ENTRY_FIELDS,
  DOMAINS_FIELD,
  type EntryField,
  INCLUDE_IP_FIELD,
  MAX_BOT_PROBABILITY_FIELD,
  MAX_ELAPSED_TIME_FIELD,
  MIN_SCORE_FIELD,
  REGION_FIELD,
  SECRET_FIELD,
} from "./entry-fields.js";
import type { ErrorCode } from "./error-codes.js";

/**
 * The web protection integrations, declared once. Everything another part derives per
 * integration (request parameters, embed key prefix, error codes, where the account keeps
 * its entries, the SDK's option names, the CLI's flag and listing title) comes from here,
 * so adding an integration is one entry in this list plus its own folder in each app that
 * runs code for it.
 */

/** The codes an integration's problems are reported under (the seed's `hcap-*` table shape). */
export interface IntegrationCodes {
  /** Its parameters were sent but the account has no entry of it. */
  configNotFound: ErrorCode;
  /** The account requires it and the request has none of its parameters. */
  missingRequired: ErrorCode;
  /** Some of its parameters are present, others missing. */
  paramMismatch: ErrorCode;
  /** The key parameter names no entry of the account. */
  keyNotFound: ErrorCode;
  /** The upstream check could not be completed (and a rate-limit refusal). */
  tokenCheck: ErrorCode;
}

export interface IntegrationDescriptor {
  /** Account file key, admin API path segment, metric and log label. */
  readonly name: string;
  /** How people write it: `approov web -list` section titles, help texts. */
  readonly title: string;
  /** The `approov web` switch (flags are case-insensitive). */
  readonly cliFlag: string;
  /** `embed` claim key prefix: `<prefix><key>`. */
  readonly embedPrefix: string;
  /** Where the account keeps its entries (sites, or subscriptions). */
  readonly entriesKey: "sites" | "subscriptions";
  /** Where `approov web -list` prints its section: the seed's order (Fingerprint first). */
  readonly listPosition: number;
  /** What `approov web -list` calls an entry's key ("Site Key", "Subscription Key"). */
  readonly entryKeyLabel: string;
  /** An entry's fields in the admin API, in the order `approov web -list` prints them. */
  readonly entryFields: readonly EntryField[];
  /** The parameter naming the account entry (site key, public API key). */
  readonly keyParam: string;
  /** The result parameters sent with the key on `/attest` and `/token`. */
  readonly resultParams: readonly string[];
  /** Parameters only `/token` (the SDK) sends. */
  readonly tokenOnlyParams: readonly string[];
  /** The code for each of its parameters set to "" (key and result parameters). */
  readonly emptyCodes: Readonly<Record<string, ErrorCode>>;
  readonly codes: IntegrationCodes;
  /** approov.js: the `initializeSession` setting holding the key, the `fetchToken` option. */
  readonly sdk: { readonly keySetting: string; readonly resultOption: string };
}

function describe<const D extends IntegrationDescriptor>(descriptor: D): D {
  return Object.freeze(descriptor);
}

export const HCAPTCHA = describe({
  name: "hcaptcha",
  listPosition: 3,
  title: "hCaptcha",
  cliFlag: "hcaptcha",
  embedPrefix: "hcap:",
  entriesKey: "sites",
  entryKeyLabel: "Site Key",
  entryFields: [
    SECRET_FIELD,
    DOMAINS_FIELD,
    MIN_SCORE_FIELD,
    INCLUDE_IP_FIELD,
    ...COMMON_ENTRY_FIELDS,
  ],
  keyParam: "hcaptcha-site-key",
  resultParams: ["hcaptcha-token"],
  // hCaptcha's respKey (`getRespKey()`) and the page's host siteverify's hostname must equal.
  tokenOnlyParams: ["hcaptcha-key", "hcaptcha-host"],
  emptyCodes: { "hcaptcha-site-key": "hcap-empty-site-key", "hcaptcha-token": "hcap-empty-token" },
  codes: {
    configNotFound: "hcap-config-not-found",
    missingRequired: "hcap-missing-required-params",
    paramMismatch: "hcap-param-mismatch",
    keyNotFound: "hcap-site-key-not-found",
    tokenCheck: "hcap-token-check",
  },
  sdk: { keySetting: "hcaptchaSiteKey", resultOption: "hcaptchaToken" },
});

export const RECAPTCHA = describe({
  name: "recaptcha",
  listPosition: 2,
  title: "reCAPTCHA",
  cliFlag: "recaptcha",
  embedPrefix: "recap:",
  entriesKey: "sites",
  entryKeyLabel: "Site Key",
  entryFields: [
    SECRET_FIELD,
    DOMAINS_FIELD,
    ACTIONS_FIELD,
    MIN_SCORE_FIELD,
    INCLUDE_IP_FIELD,
    ...COMMON_ENTRY_FIELDS,
  ],
  keyParam: "recaptcha-site-key",
  resultParams: ["recaptcha-token"],
  tokenOnlyParams: [],
  emptyCodes: {
    "recaptcha-site-key": "recap-empty-site-key",
    "recaptcha-token": "recap-empty-token",
  },
  codes: {
    configNotFound: "recap-config-not-found",
    missingRequired: "recap-missing-required-params",
    paramMismatch: "recap-param-mismatch",
    keyNotFound: "recap-site-key-not-found",
    tokenCheck: "recap-token-check",
  },
  sdk: { keySetting: "recaptchaSiteKey", resultOption: "recaptchaToken" },
});

export const FINGERPRINT = describe({
  name: "fingerprint",
  listPosition: 1,
  title: "Fingerprint",
  cliFlag: "fingerprint",
  embedPrefix: "fp:",
  entriesKey: "subscriptions",
  entryKeyLabel: "Subscription Key",
  entryFields: [
    SECRET_FIELD,
    REGION_FIELD,
    MAX_ELAPSED_TIME_FIELD,
    MAX_BOT_PROBABILITY_FIELD,
    ...COMMON_ENTRY_FIELDS,
  ],
  keyParam: "fingerprint-public-api-key",
  resultParams: ["fingerprint-visitor-id", "fingerprint-request-id"],
  tokenOnlyParams: [],
  emptyCodes: {
    "fingerprint-public-api-key": "fp-empty-browser-tok",
    "fingerprint-visitor-id": "fp-empty-vis-id",
    "fingerprint-request-id": "fp-empty-rqst-id",
  },
  codes: {
    configNotFound: "fp-config-not-found",
    missingRequired: "fp-missing-required-params",
    paramMismatch: "fp-param-mismatch",
    keyNotFound: "fp-browser-tok-not-found",
    tokenCheck: "fp-tok-check",
  },
  sdk: { keySetting: "fingerprintPublicAPIKey", resultOption: "fingerprintIDResult" },
});

/** Cloudflare Turnstile: not in the seed; named in its pattern (`turn-*`, `turn:`). */
export const TURNSTILE = describe({
  name: "turnstile",
  listPosition: 4,
  title: "Turnstile",
  cliFlag: "turnstile",
  embedPrefix: "turn:",
  entriesKey: "sites",
  entryKeyLabel: "Site Key",
  entryFields: [SECRET_FIELD, DOMAINS_FIELD, ACTIONS_FIELD, ...COMMON_ENTRY_FIELDS],
  keyParam: "turnstile-site-key",
  resultParams: ["turnstile-token"],
  tokenOnlyParams: [],
  emptyCodes: {
    "turnstile-site-key": "turn-empty-site-key",
    "turnstile-token": "turn-empty-token",
  },
  codes: {
    configNotFound: "turn-config-not-found",
    missingRequired: "turn-missing-required-params",
    paramMismatch: "turn-param-mismatch",
    keyNotFound: "turn-site-key-not-found",
    tokenCheck: "turn-token-check",
  },
  sdk: { keySetting: "turnstileSiteKey", resultOption: "turnstileToken" },
});

/** Every integration, in the order requests are checked, listed and labelled. */
export const INTEGRATIONS = [HCAPTCHA, RECAPTCHA, FINGERPRINT, TURNSTILE] as const;

export type Integration = (typeof INTEGRATIONS)[number]["name"];

export const INTEGRATION_NAMES: readonly Integration[] = INTEGRATIONS.map((i) => i.name);

const BY_NAME: ReadonlyMap<string, IntegrationDescriptor> = new Map(
  INTEGRATIONS.map((descriptor) => [descriptor.name, descriptor]),
);

export function isIntegration(name: string): name is Integration {
  return BY_NAME.has(name);
}

export function integrationDescriptor(name: Integration): IntegrationDescriptor {
  return BY_NAME.get(name) as IntegrationDescriptor;
}

/** All the parameters of an integration on `/attest` (key first) or `/token`. */
export function integrationParams(
  descriptor: IntegrationDescriptor,
  endpoint: "attest" | "token",
): readonly string[] {
  const base = [descriptor.keyParam, ...descriptor.resultParams];
  return endpoint === "token" ? [...base, ...descriptor.tokenOnlyParams] : base;
}

/** The integration a parameter name belongs to (names only, never values). */
const PARAM_OWNER: ReadonlyMap<string, Integration> = new Map(
  INTEGRATIONS.flatMap((d) => integrationParams(d, "token").map((p) => [p, d.name] as const)),
);

export function integrationOfParam(name: string): Integration | undefined {
  return PARAM_OWNER.get(name);
}

/** The integration an `embed` key (`hcap:<key>`, ...) belongs to. */
export function integrationOfEmbedKey(key: string): Integration | undefined {
  return INTEGRATIONS.find((d) => key.startsWith(d.embedPrefix))?.name;
}

/** The integration whose check (or rate limit) is reported under `code`. */
export function integrationOfTokenCheckCode(code: string): Integration | undefined {
  return INTEGRATIONS.find((d) => d.codes.tokenCheck === code)?.name;
}

/** `embed` key for an integration's result, e.g. `hcap:<site key>`. */
export function embedKey(integration: Integration, key: string): string {
  return `${integrationDescriptor(integration).embedPrefix}${key}`;
}

/** The embed key prefix of each integration. */
export const EMBED_PREFIXES = Object.fromEntries(
  INTEGRATIONS.map((d) => [d.name, d.embedPrefix]),
) as Readonly<Record<Integration, string>>;
