import {
  TURNSTILE_DUMMY_TOKEN,
  TURNSTILE_TEST_KEYS,
  TURNSTILE_TEST_SECRETS,
} from "@shapes/protocol";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { control, type SandboxApp } from "./helpers.js";

/** Cloudflare Turnstile's siteverify contract, with its published testing keys. */

const SECRET = `0x4AAAAAAA${"Sandbox_Secret-".repeat(2)}`;
const SITEKEY = "0x4AAAAAAASandboxSiteKey";
const UUID = "2e8fbd3f-4a8c-4b7e-9d53-5b6f3ac0f9d1";

async function execute(app: SandboxApp, body: Record<string, unknown>) {
  const res = await app.request("/turnstile/v0/execute", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ sitekey: SITEKEY, host: "shapes.example", ...body }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function token(app: SandboxApp, body: Record<string, unknown> = {}): Promise<string> {
  const answer = await execute(app, body);
  expect(answer.status).toBe(200);
  return answer.body.token as string;
}

type Fields = Record<string, string>;

async function siteverify(app: SandboxApp, fields: Fields, as: "form" | "json" = "form") {
  const res = await app.request("/turnstile/v0/siteverify", {
    method: "POST",
    ...(as === "form"
      ? { body: new URLSearchParams(fields) }
      : { headers: { "Content-Type": "application/json" }, body: JSON.stringify(fields) }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

describe("Turnstile siteverify with Cloudflare's testing secrets", () => {
  const app = createApp();

  it("1x...AA passes any token, with the dummy answer's shape", async () => {
    for (const response of [TURNSTILE_DUMMY_TOKEN, "anything"]) {
      const answer = await siteverify(app, {
        secret: TURNSTILE_TEST_SECRETS.alwaysPasses,
        response,
      });
      expect(answer).toMatchObject({
        success: true,
        "error-codes": [],
        hostname: "example.com",
        action: "",
        cdata: "",
        metadata: { interactive: false },
      });
      expect(answer.challenge_ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
  });

  it("2x...AA always fails, 3x...AA says the token was already spent", async () => {
    const response = TURNSTILE_DUMMY_TOKEN;
    expect(await siteverify(app, { secret: TURNSTILE_TEST_SECRETS.alwaysFails, response })).toEqual(
      { success: false, "error-codes": ["invalid-input-response"], messages: [] },
    );
    expect(
      await siteverify(app, { secret: TURNSTILE_TEST_SECRETS.alreadySpent, response }, "json"),
    ).toEqual({ success: false, "error-codes": ["timeout-or-duplicate"], messages: [] });
  });

  it("a production secret refuses the dummy token", async () => {
    const answer = await siteverify(app, { secret: SECRET, response: TURNSTILE_DUMMY_TOKEN });
    expect(answer["error-codes"]).toEqual(["invalid-input-response"]);
  });

  it("the testing sitekeys: passing ones hand out the dummy token, blocking ones fail", async () => {
    for (const sitekey of [TURNSTILE_TEST_KEYS.alwaysPasses, TURNSTILE_TEST_KEYS.passesInvisible]) {
      expect((await execute(app, { sitekey })).body).toEqual({ token: TURNSTILE_DUMMY_TOKEN });
    }
    for (const sitekey of [TURNSTILE_TEST_KEYS.alwaysBlocks, TURNSTILE_TEST_KEYS.blocksInvisible]) {
      const answer = await execute(app, { sitekey });
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ code: "600010" });
    }
  });
});

describe("Turnstile siteverify of a widget's token", () => {
  it("passes once with the widget's hostname, action and cdata; then timeout-or-duplicate", async () => {
    const app = createApp();
    const response = await token(app, { action: "login", cdata: "session-42" });
    expect(response.length).toBeLessThanOrEqual(2048);
    const first = await siteverify(app, { secret: SECRET, response, remoteip: "203.0.113.7" });
    expect(first).toMatchObject({
      success: true,
      hostname: "shapes.example",
      action: "login",
      cdata: "session-42",
    });
    const again = await siteverify(app, { secret: SECRET, response }, "json");
    expect(again).toEqual({
      success: false,
      "error-codes": ["timeout-or-duplicate"],
      messages: [],
    });
  });

  it("an idempotency_key lets a retry get the first answer again", async () => {
    const app = createApp();
    const response = await token(app);
    const first = await siteverify(app, { secret: SECRET, response, idempotency_key: UUID });
    expect(first.success).toBe(true);
    expect(await siteverify(app, { secret: SECRET, response, idempotency_key: UUID })).toEqual(
      first,
    );
    const other = await siteverify(app, {
      secret: SECRET,
      response,
      idempotency_key: "0b1f6c2e-9d4e-4f5a-8b7c-123456789abc",
    });
    expect(other["error-codes"]).toEqual(["timeout-or-duplicate"]);
  });

  it("a token is valid 300 s", async () => {
    let now = Date.UTC(2026, 0, 1);
    const app = createApp({ now: () => now });
    const late = await token(app);
    const inTime = await token(app);
    now += 299_000;
    expect((await siteverify(app, { secret: SECRET, response: inTime })).success).toBe(true);
    now += 1_000;
    expect((await siteverify(app, { secret: SECRET, response: late }))["error-codes"]).toEqual([
      "timeout-or-duplicate",
    ]);
  });

  it("answers every error code of a bad request", async () => {
    const app = createApp();
    const response = await token(app);
    const codes = async (fields: Fields, as: "form" | "json" = "form") =>
      (await siteverify(app, fields, as))["error-codes"];
    expect(await codes({})).toEqual(["missing-input-secret", "missing-input-response"]);
    expect(await codes({ response })).toEqual(["missing-input-secret"]);
    expect(await codes({ secret: SECRET })).toEqual(["missing-input-response"]);
    expect(await codes({ secret: "not-a-secret", response })).toEqual(["invalid-input-secret"]);
    expect(await codes({ secret: SECRET, response: "unknown" })).toEqual([
      "invalid-input-response",
    ]);
    expect(await codes({ secret: SECRET, response: "x".repeat(2049) })).toEqual([
      "invalid-input-response",
    ]);
    expect(await codes({ secret: SECRET, response, remoteip: "not an ip" })).toEqual([
      "bad-request",
    ]);
    expect(await codes({ secret: SECRET, response, idempotency_key: "nope" })).toEqual([
      "bad-request",
    ]);
    const notJson = await app.request("/turnstile/v0/siteverify", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{secret",
    });
    expect(((await notJson.json()) as Record<string, unknown>)["error-codes"]).toEqual([
      "bad-request",
    ]);
    const big = await app.request("/turnstile/v0/siteverify", {
      method: "POST",
      body: new URLSearchParams({ secret: SECRET, response: "y".repeat(20_000) }),
    });
    expect(((await big.json()) as Record<string, unknown>)["error-codes"]).toEqual(["bad-request"]);
    // The token was never spent by those refusals.
    expect((await siteverify(app, { secret: SECRET, response })).success).toBe(true);
  });

  it("refuses a bad execute request, and takes the fault switches", async () => {
    const app = createApp();
    expect((await execute(app, { sitekey: "bad key!" })).status).toBe(400);
    expect((await execute(app, { action: "a".repeat(33) })).status).toBe(400);
    expect((await execute(app, { host: "not a host" })).status).toBe(400);
    const set = await control(app, "/faults", {
      target: "turnstile-siteverify",
      mode: "status",
      status: 503,
    });
    expect(set.status).toBe(200);
    const res = await app.request("/turnstile/v0/siteverify", {
      method: "POST",
      body: new URLSearchParams({ secret: SECRET, response: "r" }),
    });
    expect(res.status).toBe(503);
  });
});
