import { type ApproovTokenClaims, HCAPTCHA_TEST_KEYS } from "@shapes/protocol";
import { decodeJwt, errors as joseErrors, jwtVerify } from "jose";
import { expect } from "vitest";
import type { Account } from "../../src/account/account.js";
import type { CaptchaSiteConfig as HcaptchaSiteConfig } from "../../src/integrations/siteverify/captcha-site.js";
import type { SdkSettings } from "../../src/sdk/sdk-settings.js";
import type { AttestSettings } from "../../src/settings.js";
import { DpopClient } from "./dpop-client.js";
import { NOW_MS, type TestApp, testApp } from "./test-app.js";

export const PUBLISHER = HCAPTCHA_TEST_KEYS.publisher;
export const BOT = HCAPTCHA_TEST_KEYS.enterpriseBotDetected;
/** A second web-enabled API of the test account. */
export const SECOND_API = "api.shapes.example";

/**
 * A test clock the test can move: starts at NOW_MS, or (realTime) follows the real clock,
 * for checks against the sandbox's own times (Fingerprint's result age).
 */
export class TestClock {
  #base: number | undefined;
  #offsetMs = 0;
  constructor(realTime = false) {
    this.#base = realTime ? undefined : NOW_MS;
  }
  get ms(): number {
    return (this.#base ?? Date.now()) + this.#offsetMs;
  }
  readonly now = () => this.ms;
  advance(seconds: number): void {
    this.#offsetMs += seconds * 1000;
  }
  get seconds(): number {
    return Math.floor(this.ms / 1000);
  }
}

export interface SdkTestApp extends TestApp {
  clock: TestClock;
  client: DpopClient;
}

export function siteConfig(changes: Partial<HcaptchaSiteConfig> = {}): HcaptchaSiteConfig {
  return {
    secret: "0x0000000000000000000000000000000000000000",
    domains: [],
    minScore: 0,
    includeIP: false,
    embedResult: false,
    maxResultLifetimeSeconds: 0,
    rateLimit: 0,
    ...changes,
  };
}

/** The attest app on a movable clock with a second web API, and an SDK-like client. */
export async function sdkApp(
  options: {
    siteverifyUrl?: string;
    account?: (account: Account) => void;
    settings?: Partial<AttestSettings>;
    sdk?: Partial<SdkSettings>;
    origin?: string;
    /** The clock follows real time (still movable with advance()). */
    realTime?: boolean;
  } = {},
): Promise<SdkTestApp> {
  const clock = new TestClock(options.realTime);
  const app = testApp({
    now: clock.now,
    settings: {
      ...(options.siteverifyUrl ? { hcaptchaSiteverifyUrl: options.siteverifyUrl } : {}),
      ...options.settings,
    },
    ...(options.sdk ? { sdk: options.sdk } : {}),
    account: (account) => {
      account.apis[SECOND_API] = { allowWeb: true, jwe: false };
      account.apis["mobile-only.example"] = { allowWeb: false, jwe: false };
      options.account?.(account);
    },
  });
  const client = await DpopClient.create(clock.now, options.origin);
  return { ...app, clock, client };
}

/** The /token form for the publisher test key, with `changes` applied (undefined removes). */
export function tokenForm(
  account: Account,
  changes: Record<string, string | undefined> = {},
  apis: string[] = ["localhost"],
): [string, string][] {
  const base: Record<string, string | undefined> = {
    "approov-site-key": account.siteKey,
    "hcaptcha-site-key": PUBLISHER.siteKey,
    "hcaptcha-token": PUBLISHER.response,
    ...changes,
  };
  return [
    ...apis.map((api): [string, string] => ["api", api]),
    ...Object.entries(base).filter((e): e is [string, string] => e[1] !== undefined),
  ];
}

/** The /refresh form. */
export function refreshForm(
  account: Account,
  refreshToken: string | undefined,
  apis: string[] = ["localhost"],
  extra: [string, string][] = [],
): [string, string][] {
  return [
    ...apis.map((api): [string, string] => ["api", api]),
    ["approov-site-key", account.siteKey],
    ...(refreshToken !== undefined ? [["refresh-token", refreshToken] as [string, string]] : []),
    ...extra,
  ];
}

/** Verifies like a backend: HS256 with the account secret, at `atMs`. */
export async function verifyApproovToken(token: string, account: Account, atMs: number) {
  const { payload } = await jwtVerify<ApproovTokenClaims>(
    token,
    Buffer.from(account.secret, "base64"),
    { algorithms: ["HS256"], currentDate: new Date(atMs) },
  );
  return payload;
}

/** An SDK decoy: it fails verification (the signature) yet carries a real token's claims. */
export async function expectSdkDecoy(token: string, account: Account, atMs: number) {
  await expect(verifyApproovToken(token, account, atMs)).rejects.toBeInstanceOf(
    joseErrors.JWSSignatureVerificationFailed,
  );
  expect(Object.keys(decodeJwt(token)).sort()).toEqual(["arc", "cnf", "embed", "exp", "iat", "ip"]);
}
