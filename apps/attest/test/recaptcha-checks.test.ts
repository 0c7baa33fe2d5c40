import { LOCAL_RECAPTCHA_V3_SITE_KEY, RECAPTCHA_V2_TEST_KEYS } from "@shapes/protocol";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { newRecaptchaSandboxSecret } from "../src/integrations/recaptcha/demo-secret.js";
import type { RecaptchaSiteConfig } from "../src/integrations/recaptcha/site.js";
import { expectErrorAnswer } from "./helpers/error-codes.js";
import {
  decryptToken,
  embedOf,
  integrationApp,
  issue,
  isValid,
  JWE_API,
  type Params,
  recaptchaSite,
  send,
} from "./helpers/integration-setup.js";
import type { SdkTestApp } from "./helpers/sdk-setup.js";
import {
  RECORDER_ANSWER,
  type SiteverifyRecorder,
  siteverifyRecorder,
} from "./helpers/siteverify-recorder.js";
import { type RunningSandbox, startSandbox } from "./helpers/start-sandbox.js";
import { adminOk } from "./helpers/test-app.js";

/**
 * reCAPTCHA in both flows, against the real sandbox (single-use tokens, v2 and v3, the
 * score control) and a siteverify recorder (what attest sends): every site property.
 */

/** A site of our own, 40 characters like Google's; any well-formed secret works. */
const OWN = "6LcOwnAttestTestSite00000000000000000000";
const OWN_SECRET = newRecaptchaSandboxSecret();
const KEY = `recap:${OWN}`;

let sandbox: RunningSandbox;
let recorder: SiteverifyRecorder;
beforeAll(async () => {
  [sandbox, recorder] = await Promise.all([startSandbox(), siteverifyRecorder()]);
});
afterAll(() => Promise.all([sandbox?.stop(), recorder?.close()]));
beforeEach(async () => {
  recorder.forms.length = 0;
  recorder.answer = { ...RECORDER_ANSWER, action: "submit", score: 0.9 };
  await sandbox.control("recaptcha/score", { siteKey: OWN, score: null });
});

/** An app whose account has the OWN site with `changes`; checks against the sandbox. */
const app = (changes: Partial<RecaptchaSiteConfig> = {}, upstream = "sandbox") =>
  integrationApp(sandbox, {
    account: (a) => {
      a.recaptcha.sites[OWN] = recaptchaSite(OWN_SECRET, changes);
    },
    ...(upstream === "recorder" ? { settings: { recaptchaSiteverifyUrl: recorder.url } } : {}),
  });

const params = (token: string, siteKey = OWN): Params => ({
  "recaptcha-site-key": siteKey,
  "recaptcha-token": token,
});

/** A fresh v3 token of OWN (the sandbox's current score for it). */
const v3 = (action = "submit", host = "localhost") =>
  sandbox.recaptchaToken(OWN, { kind: "v3", action, host });

async function valid(test: SdkTestApp, flow: "attest" | "token", p: Params): Promise<boolean> {
  return isValid(test, (await issue(test, flow, p)).token);
}

describe.each(["attest", "token"] as const)("reCAPTCHA on POST /%s", (flow) => {
  it("Google's v2 test key passes; the token embeds {challenge_ts, hostname}", async () => {
    const test = await app();
    const { token, expiries } = await issue(
      test,
      flow,
      params("any-response", RECAPTCHA_V2_TEST_KEYS.siteKey),
    );
    expect(await isValid(test, token)).toBe(true);
    expect(embedOf(token)).toEqual({
      [`recap:${RECAPTCHA_V2_TEST_KEYS.siteKey}`]: {
        challenge_ts: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        hostname: "testkey.google.com",
      },
    });
    if (flow === "token") {
      const session = (Math.floor(test.clock.ms / 1000) + 7200) * 1000;
      expect(expiries).toEqual({
        session: expect.any(Number),
        [`recap:${RECAPTCHA_V2_TEST_KEYS.siteKey}`]: expiries?.session,
      });
      expect(Math.abs((expiries?.session ?? 0) - session)).toBeLessThanOrEqual(1000);
    }
    expect(test.logs.at(-1)).toMatchObject({ msg: flow, outcome: "valid" });
  });

  it("the local v3 demo site: action submit at the default score 0.9 passes", async () => {
    const test = await app();
    const token = await sandbox.recaptchaToken(LOCAL_RECAPTCHA_V3_SITE_KEY, { action: "submit" });
    expect(await valid(test, flow, params(token, LOCAL_RECAPTCHA_V3_SITE_KEY))).toBe(true);
    const other = await sandbox.recaptchaToken(LOCAL_RECAPTCHA_V3_SITE_KEY, { action: "login" });
    expect(await valid(test, flow, params(other, LOCAL_RECAPTCHA_V3_SITE_KEY))).toBe(false);
  });

  it("minScore: a score under it is a decoy, a score at it passes", async () => {
    const test = await app({ minScore: 0.5 });
    await sandbox.control("recaptcha/score", { siteKey: OWN, score: 0.3 });
    expect(await valid(test, flow, params(await v3()))).toBe(false);
    expect(test.logs.at(-1)).toMatchObject({ outcome: "invalid", reason: "recaptcha min score" });
    await sandbox.control("recaptcha/score", { siteKey: OWN, score: 0.5 });
    expect(await valid(test, flow, params(await v3()))).toBe(true);
  });

  it("minScore: a v2 answer has no score, so it fails a non-zero minimum only", async () => {
    const v2 = () => sandbox.recaptchaToken(OWN, { kind: "v2" });
    expect(await valid(await app({ minScore: 0.1 }), flow, params(await v2()))).toBe(false);
    expect(await valid(await app({ minScore: 0 }), flow, params(await v2()))).toBe(true);
  });

  it("actions: a listed action passes, another is a decoy, none named is not checked", async () => {
    const test = await app({ actions: ["submit", "login"] });
    expect(await valid(test, flow, params(await v3("login")))).toBe(true);
    expect(await valid(test, flow, params(await v3("transfer")))).toBe(false);
    expect(test.logs.at(-1)).toMatchObject({ reason: "recaptcha action not allowed" });
    // A v3 token requested without an action, and a v2 token: the answer names no action.
    const noAction = await sandbox.recaptchaToken(OWN, { kind: "v3" });
    expect(await valid(test, flow, params(noAction))).toBe(true);
    const v2 = await sandbox.recaptchaToken(OWN, { kind: "v2" });
    expect(await valid(test, flow, params(v2))).toBe(true);
  });

  it("domains: the page's full hostname must be listed (reCAPTCHA keeps subdomains)", async () => {
    const host = "www.shapes.example";
    const listed = await app({ domains: [host] });
    expect(await valid(listed, flow, params(await v3("submit", host)))).toBe(true);
    const parent = await app({ domains: ["shapes.example"] });
    expect(await valid(parent, flow, params(await v3("submit", host)))).toBe(false);
    expect(parent.logs.at(-1)).toMatchObject({ reason: "recaptcha hostname not allowed" });
  });

  it("the user's bad tokens are decoys: reused (timeout-or-duplicate), unknown", async () => {
    const test = await app();
    const token = await v3();
    expect(await valid(test, flow, params(token))).toBe(true);
    expect(await valid(test, flow, params(token))).toBe(false);
    expect(test.logs.at(-1)).toMatchObject({
      outcome: "invalid",
      reason: "recaptcha success=false (timeout-or-duplicate)",
    });
    expect(await valid(test, flow, params("never-issued"))).toBe(false);
    expect(test.logs.at(-1)).toMatchObject({
      reason: "recaptcha success=false (invalid-input-response)",
    });
  });

  it("a secret siteverify refuses: 502 recap-token-check naming the codes, no token", async () => {
    const bad = await integrationApp(sandbox, {
      account: (a) => {
        a.recaptcha.sites[OWN] = recaptchaSite("not-a-recaptcha-secret");
      },
    });
    const body = await expectErrorAnswer(await send(bad, flow, params(await v3())), flow, 502, [
      "recap-token-check",
    ]);
    expect(body).toEqual({
      message: "Bad Gateway",
      errors: { "recap-token-check": "siteverify: invalid-input-secret" },
    });
    expect(bad.logs.at(-1)).toMatchObject({ outcome: "error", codes: ["recap-token-check"] });
  });

  it("includeIP: remoteip is the client IP, only when set; no sitekey field", async () => {
    const off = await app({}, "recorder");
    await issue(off, flow, params("t"));
    expect([...(recorder.forms.at(-1)?.keys() ?? [])].sort()).toEqual(["response", "secret"]);
    expect(recorder.forms.at(-1)?.get("secret")).toBe(OWN_SECRET);
    const on = await app({ includeIP: true }, "recorder");
    await issue(on, flow, params("t"));
    expect(recorder.forms.at(-1)?.get("remoteip")).toBe("203.0.113.7");
  });

  it("rateLimit: requests per minute per site key, counted before siteverify: 429", async () => {
    const test = await app({ rateLimit: 2 }, "recorder");
    await issue(test, flow, params("t1"));
    await issue(test, flow, params("t2"));
    const over = await send(test, flow, params("t3"));
    const body = await expectErrorAnswer(over, flow, 429, ["recap-token-check"]);
    expect(body.errors).toEqual({
      "recap-token-check": "rate limit of 2 requests per minute exceeded",
    });
    expect(over.headers.get("retry-after")).toBe("30");
    expect(recorder.forms).toHaveLength(2);
    // Another site key has its own count.
    expect(await valid(test, flow, params("t4", RECAPTCHA_V2_TEST_KEYS.siteKey))).toBe(true);
    expect(recorder.forms).toHaveLength(3);
  });

  it("embedResult: a JWE API's token carries the whole answer, a JWS only the minimal", async () => {
    const test = await app({ embedResult: true }, "recorder");
    const jwe = await issue(test, flow, params("t"), [JWE_API]);
    expect((await decryptToken(test, jwe.token)).embed).toEqual({
      [KEY]: { ...recorder.answer, sitekey: "the site key" },
    });
    const jws = await issue(test, flow, params("t"), ["localhost"]);
    expect(await isValid(test, jws.token)).toBe(true);
    expect(embedOf(jws.token)).toEqual({
      [KEY]: { challenge_ts: RECORDER_ANSWER.challenge_ts, hostname: RECORDER_ANSWER.hostname },
    });
    // Without embedResult the JWE carries the minimal properties too.
    const plain = await app({}, "recorder");
    const minimal = await issue(plain, flow, params("t"), [JWE_API]);
    expect((await decryptToken(plain, minimal.token)).embed).toEqual({
      [KEY]: { challenge_ts: RECORDER_ANSWER.challenge_ts, hostname: RECORDER_ANSWER.hostname },
    });
  });
});

describe("reCAPTCHA site lifetime on POST /token", () => {
  it("maxResultLifetimeSeconds: the result's expiry, and the session ends with it", async () => {
    const test = await app({ maxResultLifetimeSeconds: 300 }, "recorder");
    const iat = Math.floor(test.clock.ms / 1000);
    const { expiries } = await issue(test, "token", params("t"));
    const end = expiries?.session ?? 0;
    expect(expiries).toEqual({ session: end, [KEY]: end });
    expect(end - iat * 1000).toBeGreaterThanOrEqual(300_000);
    expect(end - iat * 1000).toBeLessThanOrEqual(301_000);
  });
});

describe("admin API changes apply to the next request", () => {
  it("a reCAPTCHA site added, tightened and removed; Fingerprint made required", async () => {
    const test = await integrationApp(sandbox);
    const put = (body: object) => adminOk(test.app, "PUT", `/web/recaptcha/${OWN}`, body);
    const unknown = await send(test, "attest", params(await v3()));
    await expectErrorAnswer(unknown, "attest", 400, ["recap-site-key-not-found"]);

    await put({ secret: OWN_SECRET });
    expect(await valid(test, "attest", params(await v3()))).toBe(true);
    await put({ secret: OWN_SECRET, actions: ["login"] });
    expect(await valid(test, "attest", params(await v3("submit")))).toBe(false);

    await adminOk(test.app, "PUT", "/web/fingerprint/optional", { optional: false });
    const required = await send(test, "token", params(await v3("login")));
    await expectErrorAnswer(required, "token", 400, ["fp-missing-required-params"]);

    await adminOk(test.app, "DELETE", `/web/recaptcha/${OWN}`);
    const removed = await send(test, "attest", params(await v3()));
    await expectErrorAnswer(removed, "attest", 400, [
      "recap-site-key-not-found",
      "fp-missing-required-params",
    ]);
  });
});
