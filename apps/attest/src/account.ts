import { randomBytes, randomUUID } from "node:crypto";
import { HCAPTCHA_TEST_KEYS, HCAPTCHA_TEST_SECRET } from "@shapes/protocol";

/** One API domain registered with the account (`approov api -add <domain> [-allowWeb]`). */
export interface ApiConfig {
  /** Whether web protection may issue tokens for this API. */
  allowWeb: boolean;
  /** Whether tokens for this API are encrypted (JWE): honoured in a later issue. */
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
  /** Embed the full result (needs JWE): honoured in a later issue. */
  embedResult: boolean;
  /** Session-related result lifetime (0 = refresh token lifetime): later issue. */
  maxResultLifetimeSeconds: number;
  /** Requests per minute (0 = unlimited): enforced in a later issue. */
  rateLimit: number;
}

export interface HcaptchaConfig {
  /** When false, every initial request must carry hCaptcha parameters. */
  optional: boolean;
  sites: Record<string, HcaptchaSiteConfig>;
}

/** The persisted account (`account.json`, format version 1). */
export interface Account {
  version: 1;
  /** The Approov site key (UUID v4) the browser sends as `approov-site-key`. */
  siteKey: string;
  /** Base64 of the 32-byte account secret: the HS256 key of valid tokens. */
  secret: string;
  tokenLifetimeSeconds: number;
  refreshTokenLifetimeSeconds: number;
  apis: Record<string, ApiConfig>;
  hcaptcha: HcaptchaConfig;
}

export const ACCOUNT_SECRET_BYTES = 32;

function testSite(minScore: number): HcaptchaSiteConfig {
  return {
    secret: HCAPTCHA_TEST_SECRET,
    domains: [],
    minScore,
    includeIP: false,
    embedResult: false,
    maxResultLifetimeSeconds: 0,
    rateLimit: 0,
  };
}

/**
 * The pre-configured local account: the `localhost` API with web access and
 * hCaptcha's three test keys. The enterprise keys require a score so the demo
 * can show the bot-detected key being refused.
 */
export function createDefaultAccount(): Account {
  return {
    version: 1,
    siteKey: randomUUID(),
    secret: randomBytes(ACCOUNT_SECRET_BYTES).toString("base64"),
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
  };
}
