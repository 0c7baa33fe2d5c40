import { randomBytes } from "node:crypto";
import { HCAPTCHA_TEST_KEYS } from "@shapes/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../src/account/account.js";
import { newFingerprintSandboxSecret } from "../src/integrations/fingerprint/demo-secret.js";
import { newRecaptchaSandboxSecret } from "../src/integrations/recaptcha/demo-secret.js";
import {
  decryptToken,
  fingerprintSubscription,
  integrationApp,
  issue,
  JWE_API,
  type Params,
  recaptchaSite,
} from "./helpers/integration-setup.js";
import { type SdkTestApp, siteConfig } from "./helpers/sdk-setup.js";
import { type RunningSandbox, startSandbox } from "./helpers/start-sandbox.js";

/**
 * With a JWE API and `embedResult`, a valid token carries the service's whole success answer.
 * A decoy is unreadable (encrypted under a key nobody has), but its length must not give it
 * away either: every decoy's compact JWE length lies within the valid tokens' range, widened
 * by MARGIN.
 *
 * Why 24: valid tokens of one site differ only in values of the same form (timestamps, ids,
 * the same page's hostname, the IP), so their lengths barely vary (measured here: not at all;
 * base64url rounds 3 bytes to 4 characters, so a byte more or less shows as 0 to 4). A decoy's
 * content differs slightly (`false` for `true`, the client IP for the one Fingerprint saw):
 * measured 0 to 8 characters from the valid ones. Without the fix the closest decoys were 32
 * characters short (hCaptcha's `{success:false, credit:false, error-codes}`) and Fingerprint's
 * about 790; 24 separates the two with room on both sides.
 */
const MARGIN = 24;
const VALID_COUNT = 4;

const HCAPTCHA_SITE = "d0d0c0de-0000-4000-8000-00000000a11e";
const HCAPTCHA_SECRET = `0x${randomBytes(20).toString("hex")}`;
const RECAPTCHA_SITE = "6LcDecoyLengthTestSite000000000000000000";
const RECAPTCHA_SECRET = newRecaptchaSandboxSecret();
const { enterpriseSafeUser: SAFE_USER, enterpriseBotDetected: BOT } = HCAPTCHA_TEST_KEYS;
const FP_KEY = "decoy-length-fingerprint-key";
/** What the browser sends to Fingerprint and to attest alike (start-sandbox.ts's identify). */
const BROWSER = {
  "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/124.0.0.0",
  referer: "http://localhost:8000/page",
};

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.stop());

function embedAll(account: Account) {
  account.hcaptcha.sites[HCAPTCHA_SITE] = siteConfig({
    secret: HCAPTCHA_SECRET,
    embedResult: true,
  });
  // hCaptcha's enterprise test keys: safe user (passes minScore 0.5) and bot detected.
  for (const { siteKey } of [SAFE_USER, BOT]) {
    account.hcaptcha.sites[siteKey] = siteConfig({ minScore: 0.5, embedResult: true });
  }
  account.recaptcha.sites[RECAPTCHA_SITE] = recaptchaSite(RECAPTCHA_SECRET, {
    minScore: 0.5,
    actions: ["submit"],
    embedResult: true,
  });
  account.fingerprint.subscriptions[FP_KEY] = fingerprintSubscription(
    newFingerprintSandboxSecret(),
    { embedResult: true, maxBotProbability: 0.5 },
  );
}

type Flow = "attest" | "token";

/** A JWE for the JWE API; checked to be valid (decrypts with the account) or a decoy. */
async function jwe(test: SdkTestApp, flow: Flow, params: Params, valid: boolean) {
  const { token } = await issue(test, flow, params, [JWE_API], BROWSER);
  expect(token.split(".")).toHaveLength(5);
  const decrypts = await decryptToken(test, token).then(
    () => true,
    () => false,
  );
  expect(decrypts).toBe(valid);
  expect(test.logs.at(-1)?.outcome).toBe(valid ? "valid" : "invalid");
  return token;
}

/** Every decoy's length within the valid tokens' range, widened by MARGIN. */
function expectLengthsAlike(valid: string[], decoys: Record<string, string>) {
  const lengths = valid.map((t) => t.length);
  const [min, max] = [Math.min(...lengths), Math.max(...lengths)];
  const outside = Object.entries(decoys)
    .filter(([, t]) => t.length < min - MARGIN || t.length > max + MARGIN)
    .map(([kind, t]) => `${kind}: ${t.length}`);
  expect(outside, `valid lengths ${min} to ${max}`).toEqual([]);
}

const hcaptcha = (token: string, site = HCAPTCHA_SITE): Params => ({
  "hcaptcha-site-key": site,
  "hcaptcha-token": token,
});
const recaptcha = (token: string): Params => ({
  "recaptcha-site-key": RECAPTCHA_SITE,
  "recaptcha-token": token,
});
const fingerprint = (visitorId: string, requestId: string): Params => ({
  "fingerprint-public-api-key": FP_KEY,
  "fingerprint-visitor-id": visitorId,
  "fingerprint-request-id": requestId,
});

describe.each(["attest", "token"] as const)("decoy JWEs with embedResult on POST /%s", (flow) => {
  it("hCaptcha: reused, never-issued and bot-score decoys are as long as valid tokens", async () => {
    const test = await integrationApp(sandbox, { account: embedAll });
    const valid: string[] = [];
    let used = "";
    for (let i = 0; i < VALID_COUNT; i++) {
      used = (await sandbox.execute(HCAPTCHA_SITE, "localhost")).response;
      valid.push(await jwe(test, flow, hcaptcha(used), true));
    }
    expectLengthsAlike(valid, {
      reused: await jwe(test, flow, hcaptcha(used), false),
      "never issued": await jwe(test, flow, hcaptcha("never-issued"), false),
    });

    // The enterprise test keys: the safe user's valid tokens, the bot's decoys (same key length).
    const enterprise = (key: typeof SAFE_USER | typeof BOT) => hcaptcha(key.response, key.siteKey);
    const safe: string[] = [];
    for (let i = 0; i < VALID_COUNT; i++) {
      safe.push(await jwe(test, flow, enterprise(SAFE_USER), true));
    }
    expectLengthsAlike(safe, { "bot score": await jwe(test, flow, enterprise(BOT), false) });
  });

  it("reCAPTCHA v3: reused, never-issued and low-score decoys are as long as valid tokens", async () => {
    const test = await integrationApp(sandbox, { account: embedAll });
    const fresh = () =>
      sandbox.recaptchaToken(RECAPTCHA_SITE, { kind: "v3", action: "submit", host: "localhost" });
    const valid: string[] = [];
    let used = "";
    for (let i = 0; i < VALID_COUNT; i++) {
      used = await fresh();
      valid.push(await jwe(test, flow, recaptcha(used), true));
    }
    const decoys = {
      reused: await jwe(test, flow, recaptcha(used), false),
      "never issued": await jwe(test, flow, recaptcha("never-issued"), false),
      "low score": "",
    };
    await sandbox.control("recaptcha/score", { siteKey: RECAPTCHA_SITE, score: 0.1 });
    try {
      decoys["low score"] = await jwe(test, flow, recaptcha(await fresh()), false);
    } finally {
      await sandbox.control("recaptcha/score", { siteKey: RECAPTCHA_SITE, score: null });
    }
    expectLengthsAlike(valid, decoys);
  });

  it("Fingerprint: unknown request id, mismatch, replay and bot decoys are as long as valid tokens", async () => {
    const test = await integrationApp(sandbox, { account: embedAll });
    const valid: string[] = [];
    const ids = [];
    for (let i = 0; i < VALID_COUNT; i++) {
      const id = await sandbox.identify(FP_KEY);
      ids.push(id);
      valid.push(await jwe(test, flow, fingerprint(id.visitorId, id.requestId), true));
    }
    const [first, second] = ids as [(typeof ids)[0], (typeof ids)[0]];
    // Fingerprint's request id format: milliseconds, a dot, six characters.
    const unknownId = `${Date.now()}.unknwn`;
    // The bot control applies to the visitor's next identifications.
    const browserId = randomBytes(16).toString("base64url");
    const { visitorId } = await sandbox.identify(FP_KEY, { browserId });
    await sandbox.control("fingerprint/bot", { visitorId, result: "bad" });
    const bot = await sandbox.identify(FP_KEY, { browserId });
    expectLengthsAlike(valid, {
      "unknown request id": await jwe(test, flow, fingerprint(first.visitorId, unknownId), false),
      "visitor mismatch": await jwe(
        test,
        flow,
        fingerprint(first.visitorId, (await sandbox.identify(FP_KEY)).requestId),
        false,
      ),
      replayed: await jwe(test, flow, fingerprint(second.visitorId, second.requestId), false),
      bot: await jwe(test, flow, fingerprint(bot.visitorId, bot.requestId), false),
    });
  });
});
