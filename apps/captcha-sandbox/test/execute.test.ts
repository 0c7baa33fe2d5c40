import { HCAPTCHA_TEST_KEYS } from "@shapes/protocol";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { issue, randomSiteKey, SECRET, siteverify } from "./helpers.js";

function post(body: BodyInit, type = "application/json", origin?: string) {
  const headers: Record<string, string> = { "Content-Type": type };
  if (origin) headers.Origin = origin;
  return new Request("http://sandbox.test/1/execute", { method: "POST", headers, body });
}

describe("POST /1/execute", () => {
  it("answers each test site key's fixed dummy token", async () => {
    const app = createApp();
    for (const { siteKey, response } of Object.values(HCAPTCHA_TEST_KEYS)) {
      const answer = await issue(app, siteKey);
      expect(answer.response).toBe(response);
      expect(answer.key).toMatch(/^E0_[A-Za-z0-9_-]{32}$/);
    }
  });

  it("issues a fresh unguessable token per call for other site keys, with CORS *", async () => {
    const app = createApp();
    const sitekey = randomSiteKey();
    const body = JSON.stringify({ sitekey, host: "localhost" });
    const first = await app.request(post(body, "application/json", "http://localhost:8000"));
    expect(first.status).toBe(200);
    expect(first.headers.get("access-control-allow-origin")).toBe("*");
    expect(first.headers.get("cache-control")).toBe("no-store");
    const a = (await first.json()) as { response: string };
    const b = await issue(app, sitekey, "localhost");
    expect(a.response).not.toBe(b.response);
    const result = await siteverify(app, { secret: SECRET, response: a.response, sitekey });
    expect(result).toMatchObject({ success: true, hostname: "localhost" });
  });

  it("answers the CORS preflight for JSON from any origin", async () => {
    const app = createApp();
    const answer = await app.request("/1/execute", {
      method: "OPTIONS",
      headers: {
        Origin: "https://shapes.example.com",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
      },
    });
    expect(answer.status).toBe(204);
    expect(answer.headers.get("access-control-allow-origin")).toBe("*");
    expect(answer.headers.get("access-control-allow-headers")?.toLowerCase()).toContain(
      "content-type",
    );
  });

  it.each([
    ["not JSON", "{sitekey", "invalid-json"],
    ["a JSON array", "[]", "invalid-json"],
    ["no sitekey", JSON.stringify({ host: "example.com" }), "invalid-sitekey"],
    ["an empty sitekey", JSON.stringify({ sitekey: "", host: "example.com" }), "invalid-sitekey"],
    ["a numeric sitekey", JSON.stringify({ sitekey: 42, host: "example.com" }), "invalid-sitekey"],
    ["a sitekey with markup", JSON.stringify({ sitekey: "<b>", host: "x.io" }), "invalid-sitekey"],
    ["no host", JSON.stringify({ sitekey: "abc" }), "invalid-host"],
    ["an empty host", JSON.stringify({ sitekey: "abc", host: "" }), "invalid-host"],
    ["a URL as host", JSON.stringify({ sitekey: "abc", host: "http://x.io/" }), "invalid-host"],
    ["a host with a port", JSON.stringify({ sitekey: "abc", host: "x.io:80" }), "invalid-host"],
  ])("answers 400 for %s", async (_name, body, code) => {
    const answer = await createApp().request(post(body));
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ error: code, message: expect.any(String) });
  });

  it("answers 400 for a body that is not JSON-typed", async () => {
    const answer = await createApp().request(
      post(JSON.stringify({ sitekey: "abc", host: "x.io" }), "text/plain"),
    );
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: "unsupported-content-type" });
  });

  it("answers 413 for a body over 4 KiB", async () => {
    const body = JSON.stringify({ sitekey: "abc", host: "x.io", pad: "x".repeat(5000) });
    const answer = await createApp().request(post(body));
    expect(answer.status).toBe(413);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(await answer.json()).toEqual({ error: "body-too-large", message: expect.any(String) });
  });

  it("accepts IPv4, bracketed IPv6 and single-label hosts and keeps them whole", async () => {
    const app = createApp();
    for (const host of ["127.0.0.1", "[::1]", "localhost"]) {
      const sitekey = randomSiteKey();
      const { response } = await issue(app, sitekey, host);
      expect(await siteverify(app, { secret: SECRET, response })).toMatchObject({
        success: true,
        hostname: host,
      });
    }
  });
});

describe("issued token store", () => {
  it("is bounded: past maxTokens the oldest token is forgotten", async () => {
    let clock = 0;
    const app = createApp({ now: () => clock, maxTokens: 3 });
    const tokens: string[] = [];
    for (let i = 0; i < 4; i++) {
      clock += 1000;
      tokens.push((await issue(app, randomSiteKey())).response);
    }
    const [oldest, ...rest] = tokens as [string, ...string[]];
    expect((await siteverify(app, { secret: SECRET, response: oldest }))["error-codes"]).toEqual([
      "invalid-input-response",
    ]);
    for (const response of rest) {
      expect((await siteverify(app, { secret: SECRET, response })).success).toBe(true);
    }
  });

  it("remembers expired tokens for a while so late checks say expired", async () => {
    let clock = 0;
    const app = createApp({ now: () => clock });
    const { response } = await issue(app, randomSiteKey());
    clock += 5 * 60_000;
    await issue(app, randomSiteKey());
    expect((await siteverify(app, { secret: SECRET, response }))["error-codes"]).toEqual([
      "expired-input-response",
    ]);
  });
});
