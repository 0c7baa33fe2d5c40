import { describe, expect, it } from "vitest";
import { createDefaultAccount } from "../src/account/account.js";
import { createApp } from "../src/http/app.js";
import type { LogLine } from "../src/observability/log-line.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";
import { testApp, WEB_ORIGIN } from "./helpers/test-app.js";

describe("CORS and routes", () => {
  it("allows a preflight from the web origin for POST with Content-Type", async () => {
    const { app } = testApp();
    const res = await app.request("/attest", {
      method: "OPTIONS",
      headers: {
        origin: WEB_ORIGIN,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(WEB_ORIGIN);
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain(
      "content-type",
    );
    expect(res.headers.get("access-control-allow-headers")).toContain("DPoP");
  });

  it("does not allow other origins and exposes DPoP-Nonce to the web origin", async () => {
    const { app } = testApp();
    const other = await app.request("/attest", {
      method: "OPTIONS",
      headers: { origin: "http://evil.example", "access-control-request-method": "POST" },
    });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    const res = await app.request("/healthz", { headers: { origin: WEB_ORIGIN } });
    expect(res.headers.get("access-control-expose-headers")).toBe("DPoP-Nonce");
  });

  it("answers /healthz, 404 JSON for unknown routes and 405 for GET /attest", async () => {
    const { app } = testApp();
    const health = await app.request("/healthz");
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const missing = await app.request("/nope");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: "Not Found", errors: {} });
    const get = await app.request("/attest");
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
  });

  it("answers 405 naming the methods each SDK path takes: GET for /nonce, POST for the rest", async () => {
    const { app } = testApp();
    const post = await app.request("/nonce", { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET");
    const nonce = await app.request("/nonce");
    expect(nonce.status).toBe(204);
    for (const path of ["/token", "/refresh"]) {
      const get = await app.request(path);
      expect(get.status).toBe(405);
      expect(get.headers.get("allow")).toBe("POST");
    }
  });

  it("answers an unexpected failure with a bare 500, no stack or message", async () => {
    const lines: LogLine[] = [];
    const app = createApp({
      account: createDefaultAccount(),
      settings: DEFAULT_SETTINGS,
      log: () => {
        throw new Error("disk full at /secret/path");
      },
      logWriter: (line) => lines.push(line),
    });
    const res = await app.request("/attest", { method: "POST", body: new URLSearchParams() });
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('{"message":"Internal Server Error","errors":{}}');
    const requestId = res.headers.get("x-request-id");
    expect(lines.map(({ time: _, ms: __, ...rest }) => rest)).toEqual([
      { level: "error", msg: "unexpected error", requestId, error: "Error" },
      { level: "info", msg: "request", requestId, method: "POST", path: "/attest", status: 500 },
    ]);
    expect(JSON.stringify(lines)).not.toContain("/secret/path");
  });
});
