import { type RunningService, runService } from "@shapes/node-service";
import { HCAPTCHA_TEST_KEYS, HCAPTCHA_TEST_SECRET } from "@shapes/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { RECAPTCHA_TEST_KEYS } from "../src/recaptcha/recaptcha-keys.js";
import { control, FP_SECRET, fpApi, identify, type SandboxApp } from "./helpers.js";

type Target = "hcaptcha-siteverify" | "recaptcha-siteverify" | "fingerprint-api";

/** One call of each faultable endpoint, made in-process. */
async function call(app: SandboxApp, target: Target, requestId = "1.abcdef"): Promise<Response> {
  const form = { "Content-Type": "application/x-www-form-urlencoded" };
  if (target === "hcaptcha-siteverify") {
    return app.request("/siteverify", {
      method: "POST",
      headers: form,
      body: new URLSearchParams({
        secret: HCAPTCHA_TEST_SECRET,
        response: HCAPTCHA_TEST_KEYS.publisher.response,
      }).toString(),
    });
  }
  if (target === "recaptcha-siteverify") {
    return app.request("/recaptcha/api/siteverify", {
      method: "POST",
      headers: form,
      body: new URLSearchParams({ secret: RECAPTCHA_TEST_KEYS.secret, response: "r" }).toString(),
    });
  }
  return fpApi(app, `/fingerprint/api/events/${requestId}`);
}

async function setFault(app: SandboxApp, body: Record<string, unknown>) {
  const answer = await control(app, "/faults", body);
  expect(answer.status).toBe(200);
  return (await answer.json()) as { faults: unknown[] };
}

const TARGETS: Target[] = ["hcaptcha-siteverify", "recaptcha-siteverify", "fingerprint-api"];

describe("fault switches (in-process)", () => {
  it.each(TARGETS)(
    "%s: status mode answers that status with a JSON error, `times` times",
    async (target) => {
      const app = createApp();
      const { requestId } = await identify(app);
      expect(await setFault(app, { target, mode: "status", status: 503, times: 2 })).toEqual({
        faults: [{ target, mode: "status", status: 503, remaining: 2 }],
      });
      for (let i = 0; i < 2; i++) {
        const answer = await call(app, target, requestId);
        expect(answer.status).toBe(503);
        const body = await answer.json();
        if (target === "fingerprint-api") {
          expect(body).toEqual({ error: { code: "Failed", message: "injected fault: HTTP 503" } });
        } else {
          expect(body).toEqual({ error: "sandbox-fault", message: "injected fault: HTTP 503" });
        }
      }
      // Used up: the endpoint answers normally again and the fault is gone from the list.
      const normal = await call(app, target, requestId);
      expect(normal.status).toBe(200);
      const listed = await control(app, "/faults", undefined, "GET");
      expect(await listed.json()).toEqual({ faults: [] });
    },
  );

  it("status 429 on the Fingerprint API looks like its rate limit (TooManyRequests, Retry-After)", async () => {
    const app = createApp();
    await setFault(app, { target: "fingerprint-api", mode: "status", status: 429 });
    const answer = await call(app, "fingerprint-api");
    expect(answer.status).toBe(429);
    expect(answer.headers.get("retry-after")).toBe("1");
    expect(await answer.json()).toMatchObject({ error: { code: "TooManyRequests" } });
  });

  it.each(TARGETS)(
    "%s: malformed mode answers 200 with a body that is not JSON",
    async (target) => {
      const app = createApp();
      await setFault(app, { target, mode: "malformed", times: 1 });
      const answer = await call(app, target);
      expect(answer.status).toBe(200);
      expect(answer.headers.get("content-type")).toContain("application/json");
      const text = await answer.text();
      expect(() => JSON.parse(text)).toThrow();
      expect(text.startsWith("{")).toBe(true);
    },
  );

  it.each(TARGETS)("%s: slow mode delays, then answers normally", async (target) => {
    const app = createApp();
    const { requestId } = await identify(app);
    await setFault(app, { target, mode: "slow", delayMs: 150 });
    const started = performance.now();
    const answer = await call(app, target, requestId);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as Record<string, unknown>;
    if (target === "fingerprint-api") expect(body).toHaveProperty("products");
    else expect(body.success).toBe(true);
    // No `times`: the fault stays until turned off.
    const listed = await control(app, "/faults", undefined, "GET");
    expect(await listed.json()).toEqual({
      faults: [{ target, mode: "slow", delayMs: 150, remaining: null }],
    });
    await setFault(app, { target, mode: "off" });
    const quick = performance.now();
    await call(app, target, requestId);
    expect(performance.now() - quick).toBeLessThan(140);
  });

  it.each(TARGETS)("%s: reset mode fails the in-process fetch", async (target) => {
    const app = createApp();
    await setFault(app, { target, mode: "reset", times: 1 });
    await expect(call(app, target)).rejects.toThrow(/connection reset/);
    expect((await call(app, target)).status).not.toBe(500);
  });

  it("faults only touch their own target; DELETE clears all; a new setting replaces the old", async () => {
    const app = createApp();
    await setFault(app, { target: "recaptcha-siteverify", mode: "status", status: 500 });
    expect((await call(app, "hcaptcha-siteverify")).status).toBe(200);
    const replaced = await setFault(app, { target: "recaptcha-siteverify", mode: "malformed" });
    expect(replaced.faults).toEqual([
      { target: "recaptcha-siteverify", mode: "malformed", remaining: null },
    ]);
    await setFault(app, { target: "hcaptcha-siteverify", mode: "status" });
    const listed = (await (await control(app, "/faults", undefined, "GET")).json()) as {
      faults: unknown[];
    };
    expect(listed.faults).toEqual([
      { target: "hcaptcha-siteverify", mode: "status", status: 503, remaining: null },
      { target: "recaptcha-siteverify", mode: "malformed", remaining: null },
    ]);
    const cleared = await control(app, "/faults", undefined, "DELETE");
    expect(await cleared.json()).toEqual({ faults: [] });
    expect((await call(app, "hcaptcha-siteverify")).status).toBe(200);
    expect((await call(app, "recaptcha-siteverify")).status).toBe(200);
  });

  it("the control routes themselves and the token routes are never faulted", async () => {
    const app = createApp();
    await setFault(app, { target: "fingerprint-api", mode: "status", status: 500 });
    await setFault(app, { target: "hcaptcha-siteverify", mode: "status", status: 500 });
    const event = await identify(app);
    expect(event.visitorId).toMatch(/^[A-Za-z0-9]{20}$/);
    expect((await app.request("/1/api.js")).status).toBe(200);
  });
});

describe("POST /__sandbox/faults validation", () => {
  it.each([
    ["an unknown target", { target: "google", mode: "reset" }, "invalid-target"],
    ["an unknown mode", { target: "fingerprint-api", mode: "explode" }, "invalid-mode"],
    [
      "a status below 400",
      { target: "fingerprint-api", mode: "status", status: 200 },
      "invalid-status",
    ],
    [
      "a status above 599",
      { target: "fingerprint-api", mode: "status", status: 600 },
      "invalid-status",
    ],
    [
      "a fractional delay",
      { target: "fingerprint-api", mode: "slow", delayMs: 1.5 },
      "invalid-delay",
    ],
    [
      "a delay over 120 s",
      { target: "fingerprint-api", mode: "slow", delayMs: 120_001 },
      "invalid-delay",
    ],
    ["times 0", { target: "fingerprint-api", mode: "reset", times: 0 }, "invalid-times"],
    [
      "a status with slow",
      { target: "fingerprint-api", mode: "slow", status: 500 },
      "unknown-field",
    ],
    [
      "a delay with status",
      { target: "fingerprint-api", mode: "status", delayMs: 5 },
      "unknown-field",
    ],
    ["times with off", { target: "fingerprint-api", mode: "off", times: 1 }, "unknown-field"],
  ])("answers 400 for %s", async (_name, body, code) => {
    const app = createApp();
    const answer = await control(app, "/faults", body);
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ error: code, message: expect.any(String) });
    expect(await (await control(app, "/faults", undefined, "GET")).json()).toEqual({ faults: [] });
  });

  it("answers 400 for a non-JSON body and 413 for a body over 4 KiB", async () => {
    const app = createApp();
    const notJson = await app.request("/__sandbox/faults", { method: "POST", body: "target=x" });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: "unsupported-content-type" });
    const large = await control(app, "/faults", {
      target: "fingerprint-api",
      mode: "reset",
      pad: "x".repeat(5000),
    });
    expect(large.status).toBe(413);
    expect(await large.json()).toMatchObject({ error: "body-too-large" });
  });

  it("defaults: slow waits 1000 ms, status is 503", async () => {
    const app = createApp();
    await setFault(app, { target: "fingerprint-api", mode: "slow" });
    const listed = await setFault(app, { target: "recaptcha-siteverify", mode: "status" });
    expect(listed.faults).toEqual([
      { target: "recaptcha-siteverify", mode: "status", status: 503, remaining: null },
      { target: "fingerprint-api", mode: "slow", delayMs: 1000, remaining: null },
    ]);
  });
});

describe("SANDBOX_CONTROL=0 (createApp({ control: false }))", () => {
  it("refuses every /__sandbox route with 403 and leaves the endpoints alone", async () => {
    const app = createApp({ control: false });
    for (const [path, method, body] of [
      ["/faults", "POST", { target: "fingerprint-api", mode: "reset" }],
      ["/faults", "GET", undefined],
      ["/faults", "DELETE", undefined],
      ["/recaptcha/score", "POST", { siteKey: "k", score: 0.1 }],
      ["/fingerprint/bot", "POST", { visitorId: "A".repeat(20), result: "bad" }],
    ] as const) {
      const answer = await control(app, path, body, method);
      expect(answer.status).toBe(403);
      expect(await answer.json()).toEqual({
        error: "control-disabled",
        message: expect.any(String),
      });
    }
    expect((await call(app, "fingerprint-api")).status).toBe(404);
  });
});

describe("fault switches over a real socket", () => {
  const app = createApp();
  let sandbox: RunningService;

  beforeAll(async () => {
    sandbox = await runService({
      name: "sandbox",
      fetch: app.fetch,
      port: 0,
      handleSignals: false,
    });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it.each(TARGETS)(
    "%s: reset destroys the connection; the client sees a connection error",
    async (target) => {
      await setFault(app, { target, mode: "reset", times: 1 });
      const url =
        target === "fingerprint-api"
          ? `${sandbox.url}/fingerprint/api/events/1.abcdef`
          : `${sandbox.url}${target === "hcaptcha-siteverify" ? "/siteverify" : "/recaptcha/api/siteverify"}`;
      const init: RequestInit =
        target === "fingerprint-api"
          ? { headers: { "Auth-API-Key": FP_SECRET } }
          : { method: "POST", body: new URLSearchParams({ secret: "s", response: "r" }) };
      const failure = await fetch(url, init).then(
        () => null,
        (error: Error) => error,
      );
      expect(failure).toBeInstanceOf(TypeError);
      const cause = (failure as TypeError & { cause?: { code?: string; message?: string } }).cause;
      expect(`${cause?.code ?? ""} ${cause?.message ?? ""}`).toMatch(
        /ECONNRESET|UND_ERR_SOCKET|other side closed/,
      );
      // The service is still up and the next call is answered.
      const next = await fetch(url, init);
      expect(next.status).toBeLessThan(500);
    },
  );

  it("slow over a socket: the answer comes after the delay", async () => {
    await setFault(app, { target: "recaptcha-siteverify", mode: "slow", delayMs: 120, times: 1 });
    const started = performance.now();
    const answer = await fetch(`${sandbox.url}/recaptcha/api/siteverify`, {
      method: "POST",
      body: new URLSearchParams({ secret: RECAPTCHA_TEST_KEYS.secret, response: "r" }),
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    expect(await answer.json()).toMatchObject({ success: true, hostname: "testkey.google.com" });
  });
});
