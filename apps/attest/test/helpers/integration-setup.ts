import type { ApproovTokenClaims } from "@shapes/protocol";
import { decodeJwt, jwtDecrypt } from "jose";
import type { Account } from "../../src/account/account.js";
import type { FingerprintSubscriptionConfig } from "../../src/integrations/fingerprint/subscription.js";
import type { RecaptchaSiteConfig } from "../../src/integrations/recaptcha/site.js";
import type { AttestSettings } from "../../src/settings.js";
import { sdkAnswer } from "./dpop-client.js";
import type { Flow } from "./error-codes.js";
import { type SdkTestApp, sdkApp, siteConfig, verifyApproovToken } from "./sdk-setup.js";
import type { RunningSandbox } from "./start-sandbox.js";
import { connEnv, postAttest } from "./test-app.js";

/** A JWE API of the test accounts (its tokens may carry full results). */
export const JWE_API = "secure.shapes.example";

/** A reCAPTCHA site entry with the defaults, `changes` applied. */
export function recaptchaSite(
  secret: string,
  changes: Partial<RecaptchaSiteConfig> = {},
): RecaptchaSiteConfig {
  return { ...siteConfig({ secret }), actions: [], ...changes };
}

/** A Fingerprint subscription entry with the defaults, `changes` applied. */
export function fingerprintSubscription(
  secret: string,
  changes: Partial<FingerprintSubscriptionConfig> = {},
): FingerprintSubscriptionConfig {
  return {
    secret,
    region: "RoW",
    maxElapsedTimeSeconds: 2,
    maxBotProbability: 1,
    embedResult: false,
    maxResultLifetimeSeconds: 0,
    rateLimit: 0,
    ...changes,
  };
}

/**
 * The attest app checking against `sandbox` (or what `settings` says), on a clock that
 * follows real time (Fingerprint results are aged against the sandbox's clock), with a
 * JWE API besides `localhost`.
 */
export function integrationApp(
  sandbox: RunningSandbox | undefined,
  options: { account?: (account: Account) => void; settings?: Partial<AttestSettings> } = {},
): Promise<SdkTestApp> {
  return sdkApp({
    realTime: true,
    settings: { ...sandbox?.settings, ...options.settings },
    account: (account) => {
      account.apis[JWE_API] = { allowWeb: true, jwe: true };
      options.account?.(account);
    },
  });
}

export type Params = Record<string, string>;

/** What a flow answered: the token for the first API, and the SDK's expiries. */
export interface Issued {
  token: string;
  /** /token only. */
  expiries?: Record<string, number>;
}

/** The request of `flow` with the web protection `params`, for `apis`, with extra `headers`. */
export function send(
  test: SdkTestApp,
  flow: Exclude<Flow, "refresh">,
  params: Params,
  apis: string[] = ["localhost"],
  headers: Record<string, string> = {},
): Promise<Response> {
  const form: [string, string][] = [
    ...apis.map((api): [string, string] => ["api", api]),
    ["approov-site-key", test.account.siteKey],
    ...Object.entries(params),
  ];
  if (flow === "attest") return postAttest(test.app, form, { headers });
  // The client's own headers (DPoP) plus the extra ones, as a browser adds Origin / Referer.
  const target = (path: string, init: RequestInit) =>
    Promise.resolve(
      test.app.request(
        path,
        { ...init, headers: { ...(init.headers as Record<string, string>), ...headers } },
        connEnv(),
      ),
    );
  return test.client.post(target, "/token", form);
}

/** A 200 answer of `flow` (extra `headers` as `send`): the token (of the first API) and, for /token, the expiries. */
export async function issue(
  test: SdkTestApp,
  flow: Exclude<Flow, "refresh">,
  params: Params,
  apis: string[] = ["localhost"],
  headers: Record<string, string> = {},
): Promise<Issued> {
  const res = await send(test, flow, params, apis, headers);
  if (flow === "attest") {
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
    return { token: await res.text() };
  }
  const answer = await sdkAnswer(res);
  return { token: answer.tokens[apis[0] ?? ""] ?? "", expiries: answer.expiries };
}

/** Whether a JWS token verifies with the account secret now (a decoy does not). */
export function isValid(test: SdkTestApp, token: string): Promise<boolean> {
  return verifyApproovToken(token, test.account, test.clock.ms).then(
    () => true,
    () => false,
  );
}

/** The claims of a JWE token of the account (throws for a decoy). */
export async function decryptToken(test: SdkTestApp, token: string): Promise<ApproovTokenClaims> {
  const { payload } = await jwtDecrypt<ApproovTokenClaims>(
    token,
    Buffer.from(test.account.encryptionSecret, "base64"),
    { currentDate: new Date(test.clock.ms) },
  );
  return payload;
}

/** The embed claim of a JWS token (valid or decoy: both are readable). */
export function embedOf(token: string): Record<string, unknown> {
  return (decodeJwt(token).embed ?? {}) as Record<string, unknown>;
}
