import { randomBytes, randomUUID } from "node:crypto";
import { HCAPTCHA_TEST_KEYS, HCAPTCHA_TEST_SECRET } from "@shapes/protocol";
import {
  LOCAL_FINGERPRINT_PUBLIC_KEY,
  LOCAL_RECAPTCHA_V3_SITE_KEY,
  newFingerprintSandboxSecret,
  newRecaptchaSandboxSecret,
  RECAPTCHA_V2_TEST_KEYS,
} from "./local-demo-keys.js";

/** One API domain registered with the account (`approov api -add <domain> [-allowWeb]`). */
export interface ApiConfig {
  /** Whether web protection may issue tokens for this API. */
  allowWeb: boolean;
  /** Whether tokens for this API are encrypted: compact JWEs, A256GCMKW + A256GCM. */
  jwe: boolean;
}

/** One hCaptcha site registered with the account (`approov web -hCaptcha -add ...`). */
export interface HcaptchaSiteConfig {
  /** The hCaptcha API secret for this site; never logged or returned. */
  secret: string;
  /** Hostnames a result must come from; empty = no domain check. */
  domains: string[];
  /** Minimum probability of being human (0..1); 0 accepts every result. */
  minScore: number;
  /** Whether the client IP is sent to siteverify as `remoteip`. */
  includeIP: boolean;
  /** Embed the full siteverify answer, in JWE tokens only (JWS tokens get the minimal one). */
  embedResult: boolean;
  /** How long a result counts in an SDK session (0 = the refresh token lifetime). */
  maxResultLifetimeSeconds: number;
  /** Requests per minute at /attest and /token for this site key (0 = unlimited). */
  rateLimit: number;
}

export interface HcaptchaConfig {
  /** When false, every initial request must carry hCaptcha parameters. */
  optional: boolean;
  sites: Record<string, HcaptchaSiteConfig>;
}

/** One reCAPTCHA site (`approov web -recaptcha -add ...`). */
export interface RecaptchaSiteConfig extends HcaptchaSiteConfig {
  /** reCAPTCHA v3 actions a result must name; empty = no action check. */
  actions: string[];
}

export interface RecaptchaConfig {
  optional: boolean;
  sites: Record<string, RecaptchaSiteConfig>;
}

export type FingerprintRegion = "RoW" | "EU";

/** One Fingerprint subscription, by public API key. */
export interface FingerprintSubscriptionConfig {
  /** The Fingerprint secret API key; never logged or returned. */
  secret: string;
  region: FingerprintRegion;
  /** Longest time between the browser's get() and the token request (may be fractional). */
  maxElapsedTimeSeconds: number;
  /** Highest accepted bot probability (0..1); 1 accepts every result. */
  maxBotProbability: number;
  embedResult: boolean;
  maxResultLifetimeSeconds: number;
  rateLimit: number;
}

export interface FingerprintConfig {
  optional: boolean;
  subscriptions: Record<string, FingerprintSubscriptionConfig>;
}

/** The persisted account (`account.json`, format version 1). */
export interface Account {
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
  hcaptcha: HcaptchaConfig;
  recaptcha: RecaptchaConfig;
  fingerprint: FingerprintConfig;
}

export const ACCOUNT_SECRET_BYTES = 32;
export const ENCRYPTION_SECRET_BYTES = 32;

/** A fresh encryption secret (base64 of 32 random bytes). */
export function newEncryptionSecret(): string {
  return randomBytes(ENCRYPTION_SECRET_BYTES).toString("base64");
}

/** Defaults of the properties an admin PUT may omit (admin-api.md). */
export const SITE_DEFAULTS = {
  domains: [] as string[],
  minScore: 0,
  includeIP: false,
  embedResult: false,
  maxResultLifetimeSeconds: 0,
  rateLimit: 0,
} as const;

export const SUBSCRIPTION_DEFAULTS = {
  region: "RoW" as FingerprintRegion,
  maxElapsedTimeSeconds: 2,
  maxBotProbability: 1,
  embedResult: false,
  maxResultLifetimeSeconds: 0,
  rateLimit: 0,
} as const;

function testSite(minScore: number, secret = HCAPTCHA_TEST_SECRET): HcaptchaSiteConfig {
  return { ...SITE_DEFAULTS, domains: [], secret, minScore };
}

/**
 * An account with its keys and default lifetimes but no API and no web protection entry
 * (`init --empty`): the quickstart's starting point, configured with the `approov` CLI.
 */
export function createEmptyAccount(): Account {
  const account = createDefaultAccount();
  return {
    ...account,
    apis: {},
    hcaptcha: { optional: true, sites: {} },
    recaptcha: { optional: true, sites: {} },
    fingerprint: { optional: true, subscriptions: {} },
  };
}

/**
 * The pre-configured local account: the `localhost` API with web access, hCaptcha's
 * three test keys (the enterprise ones require a score so the demo can show the
 * bot-detected key refused), Google's reCAPTCHA v2 test key, a reCAPTCHA v3 demo site
 * (score 0.5, action "submit") and a Fingerprint subscription, the last two with
 * generated secrets of the shape the sandbox accepts.
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
    hcaptcha: {
      optional: true,
      sites: {
        [HCAPTCHA_TEST_KEYS.publisher.siteKey]: testSite(0),
        [HCAPTCHA_TEST_KEYS.enterpriseSafeUser.siteKey]: testSite(0.5),
        [HCAPTCHA_TEST_KEYS.enterpriseBotDetected.siteKey]: testSite(0.5),
      },
    },
    recaptcha: {
      optional: true,
      sites: {
        [RECAPTCHA_V2_TEST_KEYS.siteKey]: {
          ...testSite(0, RECAPTCHA_V2_TEST_KEYS.secret),
          actions: [],
        },
        [LOCAL_RECAPTCHA_V3_SITE_KEY]: {
          ...testSite(0.5, newRecaptchaSandboxSecret()),
          actions: ["submit"],
        },
      },
    },
    fingerprint: {
      optional: true,
      subscriptions: {
        [LOCAL_FINGERPRINT_PUBLIC_KEY]: {
          ...SUBSCRIPTION_DEFAULTS,
          secret: newFingerprintSandboxSecret(),
        },
      },
    },
  };
}
