import { HCAPTCHA_TEST_KEYS, HCAPTCHA_TEST_SECRET } from "@shapes/protocol";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { issue, randomSiteKey, SECRET, siteverify } from "./helpers.js";

const { publisher, enterpriseSafeUser, enterpriseBotDetected } = HCAPTCHA_TEST_KEYS;

describe("POST /siteverify with the test secret", () => {
  it("accepts the publisher dummy token, reusably, with hostname dummy-key-pass", async () => {
    const app = createApp();
    for (let i = 0; i < 2; i++) {
      const result = await siteverify(app, {
        secret: HCAPTCHA_TEST_SECRET,
        response: publisher.response,
        sitekey: publisher.siteKey,
      });
      expect(result).toEqual({
        success: true,
        challenge_ts: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        hostname: "dummy-key-pass",
        credit: false,
      });
    }
  });

  it("scores the enterprise safe-user token 0.0 and the bot-detected token 1.0", async () => {
    const app = createApp();
    const safe = await siteverify(app, {
      secret: HCAPTCHA_TEST_SECRET,
      response: enterpriseSafeUser.response,
    });
    expect(safe).toMatchObject({ success: true, score: 0, score_reason: ["safe"] });
    expect(safe["error-codes"]).toBeUndefined();
    const bot = await siteverify(app, {
      secret: HCAPTCHA_TEST_SECRET,
      response: enterpriseBotDetected.response,
      sitekey: enterpriseBotDetected.siteKey,
    });
    expect(bot).toMatchObject({ success: true, score: 1, score_reason: ["bot"] });
    const plain = await siteverify(app, {
      secret: HCAPTCHA_TEST_SECRET,
      response: publisher.response,
    });
    expect(plain).not.toHaveProperty("score");
    expect(plain).not.toHaveProperty("score_reason");
  });

  it("says not-using-dummy-passcode for any other token", async () => {
    const app = createApp();
    const { response } = await issue(app, randomSiteKey());
    expect(await siteverify(app, { secret: HCAPTCHA_TEST_SECRET, response })).toEqual({
      success: false,
      credit: false,
      "error-codes": ["not-using-dummy-passcode"],
    });
  });

  it("says sitekey-secret-mismatch when the sitekey is not the token's test key", async () => {
    const app = createApp();
    const result = await siteverify(app, {
      secret: HCAPTCHA_TEST_SECRET,
      response: publisher.response,
      sitekey: enterpriseSafeUser.siteKey,
    });
    expect(result["error-codes"]).toEqual(["sitekey-secret-mismatch"]);
    expect(result.success).toBe(false);
    expect(result).not.toHaveProperty("hostname");
    expect(result).not.toHaveProperty("challenge_ts");
  });
});

describe("POST /siteverify with a site's secret", () => {
  it("accepts an issued token once, with its issue time and registrable hostname", async () => {
    let clock = Date.parse("2030-01-02T03:04:05.678Z");
    const app = createApp({ now: () => clock });
    const sitekey = randomSiteKey();
    const { response, key } = await issue(app, sitekey, "www.shapes.example.com");
    expect(response).toMatch(/^P1_[A-Za-z0-9_-]{64}$/);
    expect(key).toMatch(/^E0_/);
    clock += 5_000;
    expect(await siteverify(app, { secret: SECRET, response, sitekey })).toEqual({
      success: true,
      challenge_ts: "2030-01-02T03:04:05.678Z",
      hostname: "example.com",
      credit: false,
    });
    expect(await siteverify(app, { secret: SECRET, response, sitekey })).toEqual({
      success: false,
      credit: false,
      "error-codes": ["already-seen-response"],
    });
  });

  it("marks a token seen on a failed first check too (single use)", async () => {
    const app = createApp();
    const sitekey = randomSiteKey();
    const { response } = await issue(app, sitekey);
    const mismatch = await siteverify(app, { secret: SECRET, response, sitekey: randomSiteKey() });
    expect(mismatch["error-codes"]).toEqual(["sitekey-secret-mismatch"]);
    const again = await siteverify(app, { secret: SECRET, response, sitekey });
    expect(again["error-codes"]).toEqual(["already-seen-response"]);
  });

  it("says expired-input-response 120 s after issue", async () => {
    let clock = 1_000_000;
    const app = createApp({ now: () => clock });
    const first = await issue(app, randomSiteKey());
    const second = await issue(app, randomSiteKey());
    clock += 119_999;
    expect((await siteverify(app, { secret: SECRET, response: first.response })).success).toBe(
      true,
    );
    clock += 1;
    expect(await siteverify(app, { secret: SECRET, response: second.response })).toEqual({
      success: false,
      credit: false,
      "error-codes": ["expired-input-response"],
    });
  });

  it("says invalid-input-response for a token it never issued", async () => {
    const app = createApp();
    const result = await siteverify(app, { secret: SECRET, response: `P1_${"x".repeat(64)}` });
    expect(result["error-codes"]).toEqual(["invalid-input-response"]);
    // Dummy tokens only pass with the test secret.
    const dummy = await siteverify(app, { secret: SECRET, response: publisher.response });
    expect(dummy["error-codes"]).toEqual(["invalid-input-response"]);
  });

  it("says invalid-input-secret for a secret that is not 0x + 40 hex", async () => {
    const app = createApp();
    const { response } = await issue(app, randomSiteKey());
    for (const secret of ["0x123", `0x${"g".repeat(40)}`, `${"a".repeat(42)}`, `${SECRET}0`]) {
      const result = await siteverify(app, { secret, response });
      expect(result["error-codes"]).toEqual(["invalid-input-secret"]);
    }
    // A bad secret does not use the token up.
    expect((await siteverify(app, { secret: SECRET, response })).success).toBe(true);
  });
});

describe("POST /siteverify input errors (always HTTP 200)", () => {
  it("reports missing secret and missing response", async () => {
    const app = createApp();
    expect(await siteverify(app, { response: publisher.response })).toEqual({
      success: false,
      credit: false,
      "error-codes": ["missing-input-secret"],
    });
    expect((await siteverify(app, { secret: SECRET, response: "" }))["error-codes"]).toEqual([
      "missing-input-response",
    ]);
    expect((await siteverify(app, {}))["error-codes"]).toEqual([
      "missing-input-secret",
      "missing-input-response",
    ]);
  });

  it("reports invalid-remoteip for a remoteip that is not an IP address", async () => {
    const app = createApp();
    const fields = { secret: HCAPTCHA_TEST_SECRET, response: publisher.response };
    expect((await siteverify(app, { ...fields, remoteip: "not-an-ip" }))["error-codes"]).toEqual([
      "invalid-remoteip",
    ]);
    expect((await siteverify(app, { ...fields, remoteip: "203.0.113.9" })).success).toBe(true);
    expect((await siteverify(app, { ...fields, remoteip: "2001:db8::1" })).success).toBe(true);
  });

  it.each([
    ["JSON instead of a form", "application/json", JSON.stringify({ secret: SECRET })],
    ["no content type", null, "secret=x&response=y"],
    ["malformed percent-encoding", "application/x-www-form-urlencoded", "secret=%zz&response=y"],
    ["a field given twice", "application/x-www-form-urlencoded", "secret=a&secret=b&response=y"],
  ])("reports bad-request for %s", async (_name, type, body) => {
    const app = createApp();
    const headers: Record<string, string> = type === null ? {} : { "Content-Type": type };
    const answer = await app.request("/siteverify", {
      method: "POST",
      headers,
      body: type === null ? new Blob([body]) : body,
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(await answer.json()).toEqual({
      success: false,
      credit: false,
      "error-codes": ["bad-request"],
    });
  });

  it("reports bad-request for a body that is not UTF-8 or too large", async () => {
    const app = createApp();
    const form = { "Content-Type": "application/x-www-form-urlencoded" };
    const notUtf8 = await app.request("/siteverify", {
      method: "POST",
      headers: form,
      body: new Uint8Array([0x73, 0x3d, 0xff, 0xfe]),
    });
    expect(await notUtf8.json()).toMatchObject({ "error-codes": ["bad-request"] });
    const large = await app.request("/siteverify", {
      method: "POST",
      headers: form,
      body: `secret=${SECRET}&response=${"a".repeat(20_000)}`,
    });
    expect(large.status).toBe(200);
    expect(large.headers.get("cache-control")).toBe("no-store");
    expect(await large.json()).toMatchObject({ "error-codes": ["bad-request"] });
  });
});
