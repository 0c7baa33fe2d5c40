import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { RECAPTCHA_TEST_KEYS } from "../src/recaptcha/recaptcha-keys.js";
import {
  control,
  issueRecaptcha,
  RECAPTCHA_SECRET,
  randomSiteKey,
  recaptchaSiteverify,
} from "./helpers.js";

const ISO_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

describe("POST /recaptcha/api2/execute", () => {
  it("issues a fresh unguessable token per call, with CORS * and no-store", async () => {
    const app = createApp();
    const answer = await app.request("/recaptcha/api2/execute", {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: "http://localhost:8000" },
      body: JSON.stringify({ sitekey: "site", host: "localhost", kind: "v3", action: "submit" }),
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("access-control-allow-origin")).toBe("*");
    expect(answer.headers.get("cache-control")).toBe("no-store");
    const { token } = (await answer.json()) as { token: string };
    expect(token).toMatch(/^03A[A-Za-z0-9_-]{160}$/);
    const other = await issueRecaptcha(app, { sitekey: "site", kind: "v3" });
    expect(other).not.toBe(token);
  });

  it.each([
    ["no sitekey", { host: "x.io", kind: "v3" }, "invalid-sitekey"],
    ["a sitekey with markup", { sitekey: "<b>", host: "x.io", kind: "v3" }, "invalid-sitekey"],
    ["no host", { sitekey: "k", kind: "v3" }, "invalid-host"],
    ["a URL as host", { sitekey: "k", host: "http://x.io/", kind: "v2" }, "invalid-host"],
    ["no kind", { sitekey: "k", host: "x.io" }, "invalid-kind"],
    ["kind v1", { sitekey: "k", host: "x.io", kind: "v1" }, "invalid-kind"],
    [
      "an action with spaces",
      { sitekey: "k", host: "x.io", kind: "v3", action: "a b" },
      "invalid-action",
    ],
    ["a numeric action", { sitekey: "k", host: "x.io", kind: "v3", action: 7 }, "invalid-action"],
  ])("answers 400 for %s", async (_name, body, code) => {
    const answer = await createApp().request("/recaptcha/api2/execute", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ error: code, message: expect.any(String) });
  });

  it("answers 400 for a non-JSON body and 413 for a body over 4 KiB", async () => {
    const app = createApp();
    const text = await app.request("/recaptcha/api2/execute", {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: "{}",
    });
    expect(text.status).toBe(400);
    expect(await text.json()).toMatchObject({ error: "unsupported-content-type" });
    const large = await app.request("/recaptcha/api2/execute", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sitekey: "k", host: "x.io", kind: "v3", pad: "x".repeat(5000) }),
    });
    expect(large.status).toBe(413);
    expect(await large.json()).toMatchObject({ error: "body-too-large" });
  });
});

describe("POST /recaptcha/api/siteverify: answers", () => {
  it("v3: success with score 0.9 by default, the action, the full hostname; then single use", async () => {
    let clock = Date.parse("2030-01-02T03:04:05.678Z");
    const app = createApp({ now: () => clock });
    const sitekey = randomSiteKey();
    const response = await issueRecaptcha(app, {
      sitekey,
      kind: "v3",
      action: "submit",
      host: "www.Shapes.example.com",
    });
    clock += 5_000;
    expect(await recaptchaSiteverify(app, { secret: RECAPTCHA_SECRET, response })).toEqual({
      success: true,
      challenge_ts: "2030-01-02T03:04:05Z",
      hostname: "www.shapes.example.com",
      score: 0.9,
      action: "submit",
    });
    expect(await recaptchaSiteverify(app, { secret: RECAPTCHA_SECRET, response })).toEqual({
      success: false,
      "error-codes": ["timeout-or-duplicate"],
    });
  });

  it("v3 without an action reports action as an empty string", async () => {
    const app = createApp();
    const response = await issueRecaptcha(app, { sitekey: randomSiteKey(), kind: "v3" });
    const result = await recaptchaSiteverify(app, { secret: RECAPTCHA_SECRET, response });
    expect(result).toMatchObject({ success: true, score: 0.9, action: "" });
  });

  it("v2: success without score or action (an action sent with v2 is ignored)", async () => {
    const app = createApp();
    const response = await issueRecaptcha(app, {
      sitekey: randomSiteKey(),
      kind: "v2",
      action: "ignored",
      host: "localhost",
    });
    expect(await recaptchaSiteverify(app, { secret: RECAPTCHA_SECRET, response })).toEqual({
      success: true,
      challenge_ts: expect.stringMatching(ISO_SECONDS),
      hostname: "localhost",
    });
  });

  it("the v2 test keys pass any response, reusably, as testkey.google.com", async () => {
    const app = createApp();
    const issued = await issueRecaptcha(app, { sitekey: RECAPTCHA_TEST_KEYS.siteKey, kind: "v2" });
    for (const response of [issued, issued, "anything-at-all"]) {
      expect(
        await recaptchaSiteverify(app, { secret: RECAPTCHA_TEST_KEYS.secret, response }),
      ).toEqual({
        success: true,
        challenge_ts: expect.stringMatching(ISO_SECONDS),
        hostname: "testkey.google.com",
      });
    }
    // A token of the test site key is still a real, single-use token for other secrets.
    const again = await issueRecaptcha(app, { sitekey: RECAPTCHA_TEST_KEYS.siteKey, kind: "v2" });
    const fields = { secret: RECAPTCHA_SECRET, response: again };
    expect((await recaptchaSiteverify(app, fields)).success).toBe(true);
    expect((await recaptchaSiteverify(app, fields))["error-codes"]).toEqual([
      "timeout-or-duplicate",
    ]);
  });

  it("says timeout-or-duplicate 2 minutes after issue (injected clock)", async () => {
    let clock = 1_000_000;
    const app = createApp({ now: () => clock });
    const first = await issueRecaptcha(app, { sitekey: randomSiteKey(), kind: "v3" });
    const second = await issueRecaptcha(app, { sitekey: randomSiteKey(), kind: "v2" });
    clock += 119_999;
    expect(
      (await recaptchaSiteverify(app, { secret: RECAPTCHA_SECRET, response: first })).success,
    ).toBe(true);
    clock += 1;
    expect(await recaptchaSiteverify(app, { secret: RECAPTCHA_SECRET, response: second })).toEqual({
      success: false,
      "error-codes": ["timeout-or-duplicate"],
    });
  });

  it("says invalid-input-response for a token it never issued", async () => {
    const app = createApp();
    const result = await recaptchaSiteverify(app, {
      secret: RECAPTCHA_SECRET,
      response: `03A${"x".repeat(160)}`,
    });
    expect(result).toEqual({ success: false, "error-codes": ["invalid-input-response"] });
  });

  it("says invalid-input-secret for a secret not shaped like 6L + 38, without using the token", async () => {
    const app = createApp();
    const response = await issueRecaptcha(app, { sitekey: randomSiteKey(), kind: "v3" });
    for (const secret of [
      "6L123",
      `7L${"a".repeat(38)}`,
      `6L${"a".repeat(37)}!`,
      `${RECAPTCHA_SECRET}x`,
      `0x${"0".repeat(40)}`,
    ]) {
      expect(await recaptchaSiteverify(app, { secret, response })).toEqual({
        success: false,
        "error-codes": ["invalid-input-secret"],
      });
    }
    expect((await recaptchaSiteverify(app, { secret: RECAPTCHA_SECRET, response })).success).toBe(
      true,
    );
  });

  it("reports missing-input-secret and missing-input-response", async () => {
    const app = createApp();
    expect(await recaptchaSiteverify(app, { response: "x" })).toEqual({
      success: false,
      "error-codes": ["missing-input-secret"],
    });
    expect(await recaptchaSiteverify(app, { secret: RECAPTCHA_SECRET })).toEqual({
      success: false,
      "error-codes": ["missing-input-response"],
    });
    expect((await recaptchaSiteverify(app, {}))["error-codes"]).toEqual([
      "missing-input-secret",
      "missing-input-response",
    ]);
  });

  it("accepts a remoteip that is an IP address and says bad-request otherwise", async () => {
    const app = createApp();
    const fields = { secret: RECAPTCHA_TEST_KEYS.secret, response: "r" };
    expect((await recaptchaSiteverify(app, { ...fields, remoteip: "203.0.113.9" })).success).toBe(
      true,
    );
    expect(await recaptchaSiteverify(app, { ...fields, remoteip: "nope" })).toEqual({
      success: false,
      "error-codes": ["bad-request"],
    });
  });

  it.each([
    ["JSON instead of a form", "application/json", JSON.stringify({ secret: "s", response: "r" })],
    ["malformed percent-encoding", "application/x-www-form-urlencoded", "secret=%zz&response=y"],
    ["a field given twice", "application/x-www-form-urlencoded", "secret=a&secret=b&response=y"],
    [
      "a body over 16 KiB",
      "application/x-www-form-urlencoded",
      `secret=a&response=${"a".repeat(20_000)}`,
    ],
  ])("says bad-request (HTTP 200) for %s", async (_name, type, body) => {
    const answer = await createApp().request("/recaptcha/api/siteverify", {
      method: "POST",
      headers: { "Content-Type": type },
      body,
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ success: false, "error-codes": ["bad-request"] });
  });
});

describe("POST /__sandbox/recaptcha/score", () => {
  it("sets the score of future v3 tokens of a site key; null resets to 0.9", async () => {
    const app = createApp();
    const sitekey = randomSiteKey();
    const before = await issueRecaptcha(app, { sitekey, kind: "v3" });
    const set = await control(app, "/recaptcha/score", { siteKey: sitekey, score: 0.1 });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ siteKey: sitekey, score: 0.1 });
    const after = await issueRecaptcha(app, { sitekey, kind: "v3", action: "login" });
    const otherKey = await issueRecaptcha(app, { sitekey: randomSiteKey(), kind: "v3" });
    const verify = async (response: string) =>
      (await recaptchaSiteverify(app, { secret: RECAPTCHA_SECRET, response })).score;
    expect(await verify(before)).toBe(0.9);
    expect(await verify(after)).toBe(0.1);
    expect(await verify(otherKey)).toBe(0.9);

    const reset = await control(app, "/recaptcha/score", { siteKey: sitekey, score: null });
    expect(await reset.json()).toEqual({ siteKey: sitekey, score: 0.9 });
    expect(await verify(await issueRecaptcha(app, { sitekey, kind: "v3" }))).toBe(0.9);
  });

  it.each([
    ["a score above 1", { siteKey: "k", score: 1.5 }, "invalid-score"],
    ["a negative score", { siteKey: "k", score: -0.1 }, "invalid-score"],
    ["a string score", { siteKey: "k", score: "0.5" }, "invalid-score"],
    ["no score", { siteKey: "k" }, "invalid-score"],
    ["no siteKey", { score: 0.5 }, "invalid-site-key"],
    ["an unknown field", { siteKey: "k", score: 0.5, sitekey: "k" }, "unknown-field"],
  ])("answers 400 for %s", async (_name, body, code) => {
    const answer = await control(createApp(), "/recaptcha/score", body);
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ error: code, message: expect.any(String) });
  });
});
