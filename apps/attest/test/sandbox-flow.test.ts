import { createHash, randomBytes } from "node:crypto";
import { type ApproovTokenClaims, HCAPTCHA_TEST_KEYS } from "@shapes/protocol";
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../src/account/account.js";
import { siteConfig } from "./helpers/sdk-setup.js";
import { type RunningSandbox, startSandbox } from "./helpers/start-sandbox.js";
import { NOW_MS, postAttest, testApp } from "./helpers/test-app.js";

const { publisher, enterpriseSafeUser, enterpriseBotDetected } = HCAPTCHA_TEST_KEYS;
/** A site of our own (not a test key): the sandbox issues real single-use tokens for it. */
const OWN_SITE_KEY = "a1b2c3d4-0000-4000-8000-00000000c0de";
const OWN_SITE_SECRET = `0x${randomBytes(20).toString("hex")}`;
const CLAIM_NAMES = ["arc", "embed", "exp", "iat", "ip"];

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.stop());

function withOwnSite(account: Account) {
  account.hcaptcha.sites[OWN_SITE_KEY] = siteConfig({ secret: OWN_SITE_SECRET, includeIP: true });
}

function sandboxApp() {
  return testApp({
    settings: { hcaptchaSiteverifyUrl: sandbox.siteverifyUrl },
    account: withOwnSite,
  });
}

function quickstartParams(account: Account, siteKey: string, token: string): [string, string][] {
  return [
    ["api", "localhost"],
    ["approov-site-key", account.siteKey],
    ["hcaptcha-site-key", siteKey],
    ["hcaptcha-token", token],
  ];
}

const accountKey = (account: Account) => Buffer.from(account.secret, "base64");

/** Verifies like a backend would: HS256 with the account secret, at the test clock's time. */
async function verifyWithAccount(token: string, account: Account) {
  const { payload, protectedHeader } = await jwtVerify<ApproovTokenClaims>(
    token,
    accountKey(account),
    { algorithms: ["HS256"], currentDate: new Date(NOW_MS) },
  );
  return { claims: payload, header: protectedHeader };
}

async function tokenFrom(res: Response): Promise<string> {
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
  expect(res.headers.get("cache-control")).toBe("no-store");
  return res.text();
}

describe("POST /attest against the real captcha sandbox", () => {
  it("publisher test key: a valid token with the documented claims", async () => {
    const { app, account, logs } = sandboxApp();
    const token = await tokenFrom(
      await postAttest(app, quickstartParams(account, publisher.siteKey, publisher.response)),
    );
    const { claims, header } = await verifyWithAccount(token, account);
    expect(header).toEqual({ alg: "HS256", typ: "JWT" });
    expect(Object.keys(claims).sort()).toEqual(CLAIM_NAMES);
    expect(claims.iat).toBe(NOW_MS / 1000);
    expect(claims.exp).toBe(NOW_MS / 1000 + account.tokenLifetimeSeconds);
    expect(claims.ip).toBe("203.0.113.7");
    expect(claims.arc).toMatch(/^[A-Z2-7]{10}$/);
    const embed = claims.embed?.[`hcap:${publisher.siteKey}`] as Record<string, string>;
    expect(Object.keys(embed).sort()).toEqual(["challenge_ts", "hostname"]);
    expect(new Date(embed.challenge_ts ?? "").getTime()).not.toBeNaN();
    expect(embed.hostname).toBe("dummy-key-pass");
    expect(logs).toEqual([
      expect.objectContaining({
        msg: "attest",
        arc: claims.arc,
        outcome: "valid",
        codes: [],
        api: ["localhost"],
      }),
    ]);
  });

  it("enterprise safe-user key (risk score 0.0, minScore 0.5): a valid token", async () => {
    const { app, account } = sandboxApp();
    const token = await tokenFrom(
      await postAttest(
        app,
        quickstartParams(account, enterpriseSafeUser.siteKey, enterpriseSafeUser.response),
      ),
    );
    const { claims } = await verifyWithAccount(token, account);
    expect(claims.embed).toHaveProperty([`hcap:${enterpriseSafeUser.siteKey}`]);
  });

  it("enterprise bot key (risk score 1.0, minScore 0.5): a look-alike token that does not verify", async () => {
    const { app, account, logs } = sandboxApp();
    const token = await tokenFrom(
      await postAttest(
        app,
        quickstartParams(account, enterpriseBotDetected.siteKey, enterpriseBotDetected.response),
      ),
    );
    await expect(verifyWithAccount(token, account)).rejects.toBeInstanceOf(
      joseErrors.JWSSignatureVerificationFailed,
    );
    expect(decodeProtectedHeader(token)).toEqual({ alg: "HS256", typ: "JWT" });
    const claims = decodeJwt(token);
    expect(Object.keys(claims).sort()).toEqual(CLAIM_NAMES);
    expect(Object.keys(claims.embed as object)).toEqual([`hcap:${enterpriseBotDetected.siteKey}`]);
    expect(logs.at(-1)).toMatchObject({ outcome: "invalid", reason: "min score", arc: claims.arc });
  });

  it("a sandbox-issued token of our own site is valid once, then invalid (single use)", async () => {
    const { app, account, logs } = sandboxApp();
    const { response } = await sandbox.execute(OWN_SITE_KEY, "localhost");
    const params = quickstartParams(account, OWN_SITE_KEY, response);
    const first = await tokenFrom(await postAttest(app, params));
    const { claims } = await verifyWithAccount(first, account);
    expect(claims.embed?.[`hcap:${OWN_SITE_KEY}`]).toMatchObject({ hostname: "localhost" });
    const second = await tokenFrom(await postAttest(app, params));
    await expect(verifyWithAccount(second, account)).rejects.toThrow();
    expect(logs.at(-1)).toMatchObject({
      outcome: "invalid",
      reason: "hcaptcha success=false (already-seen-response)",
    });
  });

  it("a random invalid hCaptcha token: a token that does not verify", async () => {
    const { app, account, logs } = sandboxApp();
    const token = await tokenFrom(
      await postAttest(
        app,
        quickstartParams(account, OWN_SITE_KEY, randomBytes(24).toString("hex")),
      ),
    );
    await expect(verifyWithAccount(token, account)).rejects.toBeInstanceOf(
      joseErrors.JWSSignatureVerificationFailed,
    );
    expect(Object.keys(decodeJwt(token)).sort()).toEqual(CLAIM_NAMES);
    expect(logs.at(-1)).toMatchObject({
      outcome: "invalid",
      reason: "hcaptcha success=false (invalid-input-response)",
    });
  });

  it("a wrong site secret: 502 hcap-token-check naming siteverify's codes", async () => {
    const { app, account } = testApp({
      settings: { hcaptchaSiteverifyUrl: sandbox.siteverifyUrl },
      account: (a) => {
        const site = a.hcaptcha.sites[publisher.siteKey];
        if (site) site.secret = "wrong-secret";
      },
    });
    const res = await postAttest(
      app,
      quickstartParams(account, publisher.siteKey, publisher.response),
    );
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({
      message: "Bad Gateway",
      errors: { "hcap-token-check": "siteverify: invalid-input-secret" },
    });
  });

  it("the test secret with a non-test token: 502 hcap-token-check (not-using-dummy-passcode)", async () => {
    const { app, account } = sandboxApp();
    const res = await postAttest(app, quickstartParams(account, publisher.siteKey, "not-a-dummy"));
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({
      errors: { "hcap-token-check": "siteverify: not-using-dummy-passcode" },
    });
  });

  it("payload: the token carries pay = base64 SHA-256, as the backend compares it", async () => {
    const { app, account } = sandboxApp();
    const digest = createHash("sha256").update("Bearer some-user-token").digest();
    const res = await postAttest(app, [
      ...quickstartParams(account, publisher.siteKey, publisher.response),
      ["payload", digest.toString("base64url")],
    ]);
    const { claims } = await verifyWithAccount(await tokenFrom(res), account);
    expect(claims.pay).toBe(digest.toString("base64"));
    expect(Object.keys(claims).sort()).toEqual([...CLAIM_NAMES, "pay"].sort());
  });

  it("accepts a multipart/form-data body", async () => {
    const { app, account } = sandboxApp();
    const form = new FormData();
    for (const [name, value] of quickstartParams(account, publisher.siteKey, publisher.response)) {
      form.append(name, value);
    }
    const res = await app.request("/attest", { method: "POST", body: form });
    await verifyWithAccount(await tokenFrom(res), account);
  });
});
