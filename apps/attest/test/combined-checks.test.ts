import { HCAPTCHA_TEST_KEYS } from "@shapes/protocol";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../src/account/account.js";
import { newFingerprintSandboxSecret } from "../src/integrations/fingerprint/demo-secret.js";
import { newRecaptchaSandboxSecret } from "../src/integrations/recaptcha/demo-secret.js";
import { sdkAnswer } from "./helpers/dpop-client.js";
import { expectErrorAnswer } from "./helpers/error-codes.js";
import {
  decryptToken,
  embedOf,
  fingerprintSubscription,
  integrationApp,
  issue,
  isValid,
  JWE_API,
  type Params,
  recaptchaSite,
  send,
} from "./helpers/integration-setup.js";
import type { SdkTestApp } from "./helpers/sdk-setup.js";
import { refreshForm, siteConfig } from "./helpers/sdk-setup.js";
import { type RunningSandbox, startSandbox } from "./helpers/start-sandbox.js";

/**
 * Several integrations in one request (hCaptcha + reCAPTCHA + Fingerprint, as the seed's
 * "combine multiple integrated protections"): checked concurrently; a valid token only if
 * every check passed; any check that could not be completed is an error; embeds merged;
 * the session as short as the shortest result lifetime; rate limits per key.
 */

const HCAP = "c0mb1ned-0000-4000-8000-0000000000aa";
const HCAP_SECRET = `0x${"ab".repeat(20)}`;
const RECAP = "6LcCombinedChecksSite000000000000000000x";
const FP = "combined-public-key";
const KEYS = { hcap: `hcap:${HCAP}`, recap: `recap:${RECAP}`, fp: `fp:${FP}` };

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.stop());
afterEach(async () => {
  await sandbox.clearFaults();
  await sandbox.control("recaptcha/score", { siteKey: RECAP, score: null });
});

const app = (account?: (a: Account) => void) =>
  integrationApp(sandbox, {
    account: (a) => {
      a.hcaptcha.sites[HCAP] = siteConfig({ secret: HCAP_SECRET, maxResultLifetimeSeconds: 900 });
      a.recaptcha.sites[RECAP] = recaptchaSite(newRecaptchaSandboxSecret(), {
        minScore: 0.5,
        maxResultLifetimeSeconds: 300,
      });
      a.fingerprint.subscriptions[FP] = fingerprintSubscription(newFingerprintSandboxSecret(), {
        maxResultLifetimeSeconds: 600,
      });
      account?.(a);
    },
  });

/** Fresh results of all three, as a page would get them just before the request. */
async function allThree(): Promise<Params> {
  const [hcap, recap, fp] = await Promise.all([
    sandbox.execute(HCAP, "localhost"),
    sandbox.recaptchaToken(RECAP, { action: "submit" }),
    sandbox.identify(FP),
  ]);
  return {
    "hcaptcha-site-key": HCAP,
    "hcaptcha-token": hcap.response,
    "recaptcha-site-key": RECAP,
    "recaptcha-token": recap,
    "fingerprint-public-api-key": FP,
    "fingerprint-visitor-id": fp.visitorId,
    "fingerprint-request-id": fp.requestId,
  };
}

async function valid(test: SdkTestApp, flow: "attest" | "token", p: Params): Promise<boolean> {
  return isValid(test, (await issue(test, flow, p)).token);
}

describe.each(["attest", "token"] as const)("three integrations on POST /%s", (flow) => {
  it("all pass: a valid token embedding all three results", async () => {
    const test = await app();
    const p = await allThree();
    const { token, expiries } = await issue(test, flow, p);
    expect(await isValid(test, token)).toBe(true);
    expect(embedOf(token)).toEqual({
      [KEYS.hcap]: { challenge_ts: expect.any(String), hostname: "localhost" },
      [KEYS.recap]: { challenge_ts: expect.any(String), hostname: "localhost" },
      [KEYS.fp]: {
        visitorId: p["fingerprint-visitor-id"],
        visits: [{ requestId: p["fingerprint-request-id"] }],
      },
    });
    if (flow === "token") {
      // The session is as long as the shortest result lifetime (reCAPTCHA's 300 s).
      const end = expiries?.[KEYS.recap] ?? 0;
      expect(expiries).toEqual({
        session: end,
        [KEYS.recap]: end,
        [KEYS.fp]: end + 300_000,
        [KEYS.hcap]: end + 600_000,
      });
      // /refresh keeps the session's embeds and expiries without asking any upstream.
      const first = await sdkAnswer(await send(test, "token", await allThree()));
      const refreshed = await sdkAnswer(
        await test.client.post(test.app, "/refresh", refreshForm(test.account, first.refreshToken)),
      );
      expect(refreshed.expiries).toEqual(first.expiries);
      const again = refreshed.tokens.localhost ?? "";
      expect(await isValid(test, again)).toBe(true);
      expect(Object.keys(embedOf(again)).sort()).toEqual(Object.values(KEYS).sort());
    }
  });

  it("one failing check makes a decoy, whichever it is", async () => {
    const test = await app();
    const cases: [string, (p: Params) => Promise<Params>, string][] = [
      [
        "hcaptcha",
        async (p) => ({
          ...p,
          "hcaptcha-site-key": HCAPTCHA_TEST_KEYS.enterpriseBotDetected.siteKey,
          "hcaptcha-token": HCAPTCHA_TEST_KEYS.enterpriseBotDetected.response,
        }),
        "min score",
      ],
      [
        "recaptcha",
        async (p) => {
          await sandbox.control("recaptcha/score", { siteKey: RECAP, score: 0.1 });
          const low = await sandbox.recaptchaToken(RECAP, { action: "submit" });
          await sandbox.control("recaptcha/score", { siteKey: RECAP, score: null });
          return { ...p, "recaptcha-token": low };
        },
        "recaptcha min score",
      ],
      [
        "fingerprint",
        async (p) => ({ ...p, "fingerprint-visitor-id": "notTheVisitor0000000" }),
        "fingerprint visitor id mismatch",
      ],
    ];
    for (const [, spoil, reason] of cases) {
      expect(await valid(test, flow, await spoil(await allThree()))).toBe(false);
      expect(test.logs.at(-1)).toMatchObject({ outcome: "invalid", reason });
    }
    // Two failing: both reasons in the log line, still one decoy.
    const p = await allThree();
    expect(
      await valid(test, flow, {
        ...p,
        "fingerprint-visitor-id": "notTheVisitor0000000",
        "hcaptcha-site-key": HCAPTCHA_TEST_KEYS.enterpriseBotDetected.siteKey,
        "hcaptcha-token": HCAPTCHA_TEST_KEYS.enterpriseBotDetected.response,
      }),
    ).toBe(false);
    expect(test.logs.at(-1)).toMatchObject({
      reason: "min score; fingerprint visitor id mismatch",
    });
  });

  it("one check that cannot be completed: that error only, no token", async () => {
    const test = await app();
    await sandbox.control("faults", {
      target: "recaptcha-siteverify",
      mode: "status",
      status: 500,
    });
    const body = await expectErrorAnswer(await send(test, flow, await allThree()), flow, 502, [
      "recap-token-check",
    ]);
    expect(body.errors).toEqual({ "recap-token-check": "siteverify answered HTTP 500" });
  });

  it("several checks that cannot be completed: all their errors in one answer", async () => {
    const test = await app((a) => {
      a.fingerprint.subscriptions[FP] = fingerprintSubscription("refused");
    });
    await sandbox.control("faults", { target: "hcaptcha-siteverify", mode: "malformed" });
    const body = await expectErrorAnswer(await send(test, flow, await allThree()), flow, 502, [
      "hcap-token-check",
      "fp-tok-check",
    ]);
    expect(body.errors).toEqual({
      "hcap-token-check": "siteverify answered malformed JSON",
      "fp-tok-check": "Fingerprint: secret key not accepted (TokenNotFound)",
    });
    expect(test.logs.at(-1)).toMatchObject({
      outcome: "error",
      codes: ["hcap-token-check", "fp-tok-check"],
    });
  });

  it("the checks run concurrently: three slow upstreams take one delay, not three", async () => {
    const test = await app();
    for (const target of ["hcaptcha-siteverify", "recaptcha-siteverify", "fingerprint-api"]) {
      await sandbox.control("faults", { target, mode: "slow", delayMs: 400 });
    }
    const p = await allThree();
    const started = Date.now();
    expect(await valid(test, flow, p)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    // Serially they would take at least 1200 ms.
    expect(Date.now() - started).toBeLessThan(1150);
  });

  it("a JWE API's token carries every embedResult integration's full result", async () => {
    const test = await app((a) => {
      const hcap = a.hcaptcha.sites[HCAP];
      const recap = a.recaptcha.sites[RECAP];
      const fp = a.fingerprint.subscriptions[FP];
      if (hcap && recap && fp) {
        hcap.embedResult = true;
        recap.embedResult = true;
        fp.embedResult = true;
      }
    });
    const { token } = await issue(test, flow, await allThree(), [JWE_API]);
    const embed = (await decryptToken(test, token)).embed ?? {};
    expect(embed[KEYS.hcap]).toMatchObject({ success: true, credit: false });
    expect(embed[KEYS.recap]).toMatchObject({ success: true, score: 0.9, action: "submit" });
    expect(embed[KEYS.fp]).toMatchObject({ visits: [{ browserDetails: { botProbability: 0 } }] });
  });
});

describe("rate limits across integrations", () => {
  it("are per key, and a refused request counts against none of its keys", async () => {
    const test = await app((a) => {
      const hcap = a.hcaptcha.sites[HCAP];
      const recap = a.recaptcha.sites[RECAP];
      if (hcap && recap) {
        hcap.rateLimit = 2;
        recap.rateLimit = 1;
      }
    });
    expect(await valid(test, "attest", await allThree())).toBe(true);
    const over = await send(test, "attest", await allThree());
    const body = await expectErrorAnswer(over, "attest", 429, ["recap-token-check"]);
    expect(body.errors).toEqual({
      "recap-token-check": "rate limit of 1 requests per minute exceeded",
    });
    expect(over.headers.get("retry-after")).toBe("60");
    // hCaptcha's second request of the minute was not spent by the refused one.
    const { response } = await sandbox.execute(HCAP, "localhost");
    const hcapOnly = { "hcaptcha-site-key": HCAP, "hcaptcha-token": response };
    expect(await valid(test, "token", hcapOnly)).toBe(true);
    const third = await send(test, "token", hcapOnly);
    await expectErrorAnswer(third, "token", 429, ["hcap-token-check"]);
  });
});
