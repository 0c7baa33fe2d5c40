import { HCAPTCHA_TEST_KEYS, isErrorCode } from "@shapes/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDefaultAccount } from "../src/account/account.js";
import { createApp } from "../src/http/app.js";
import { DEFAULT_SETTINGS, settingsFromEnv } from "../src/settings.js";
import { closedPortUrl } from "./helpers/fault-servers.js";
import { parseSamples, sampleValue, scrape } from "./helpers/prometheus-text.js";
import {
  PUBLISHER,
  refreshForm,
  SECOND_API,
  sdkApp,
  siteConfig,
  tokenForm,
} from "./helpers/sdk-setup.js";
import { type RunningSandbox, startSandbox } from "./helpers/start-sandbox.js";
import { postAttest, TEST_ADMIN_KEY, WEB_ORIGIN } from "./helpers/test-app.js";

const BOT = HCAPTCHA_TEST_KEYS.enterpriseBotDetected;
const REQUESTS = "approov_token_requests_total";
const UPSTREAM_COUNT = "approov_upstream_check_seconds_count";
const REFUSALS = "approov_rate_limit_refusals_total";

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.stop());

const attestForm = (
  siteKey: string,
  token: string,
  apis: string[],
  approovSiteKey: string,
): [string, string][] => [
  ...apis.map((api): [string, string] => ["api", api]),
  ["approov-site-key", approovSiteKey],
  ["hcaptcha-site-key", siteKey],
  ["hcaptcha-token", token],
];

describe("GET /metrics: token requests", () => {
  it("counts /attest decisions by outcome, code, integration and API (one per API)", async () => {
    const test = await sdkApp({ siteverifyUrl: sandbox.siteverifyUrl });
    const key = test.account.siteKey;
    const valid = await postAttest(
      test.app,
      attestForm(PUBLISHER.siteKey, PUBLISHER.response, ["localhost", SECOND_API], key),
    );
    expect(valid.status).toBe(200);
    const invalid = await postAttest(
      test.app,
      attestForm(BOT.siteKey, BOT.response, ["localhost"], key),
    );
    expect(invalid.status).toBe(200);
    expect(test.logs.map((l) => l.outcome)).toEqual(["valid", "invalid"]);
    const error = await postAttest(test.app, [
      ["api", "nope.example"],
      ["approov-site-key", key],
    ]);
    expect(error.status).toBe(400);

    const samples = await scrape(test.app);
    const base = { endpoint: "attest", integration: "hcaptcha", code: "none" };
    expect(sampleValue(samples, REQUESTS, { ...base, outcome: "valid", api: "localhost" })).toBe(1);
    expect(sampleValue(samples, REQUESTS, { ...base, outcome: "valid", api: SECOND_API })).toBe(1);
    expect(sampleValue(samples, REQUESTS, { ...base, outcome: "invalid", api: "localhost" })).toBe(
      1,
    );
    // An unregistered API is "other"; each error code of the answer is counted.
    const errorLabels = { endpoint: "attest", outcome: "error", integration: "none", api: "other" };
    expect(sampleValue(samples, REQUESTS, { ...errorLabels, code: "aprv-api-not-found" })).toBe(1);
    expect(
      sampleValue(samples, REQUESTS, { ...errorLabels, code: "aprv-no-web-protect-params" }),
    ).toBe(1);
    expect(sampleValue(samples, REQUESTS)).toBe(5);
    // The upstream check of each human check, by its verdict.
    expect(
      sampleValue(samples, UPSTREAM_COUNT, { integration: "hcaptcha", result: "passed" }),
    ).toBe(1);
    expect(
      sampleValue(samples, UPSTREAM_COUNT, { integration: "hcaptcha", result: "failed" }),
    ).toBe(1);
    expect(sampleValue(samples, REFUSALS)).toBe(0);
  });

  it("counts /token and /refresh under their endpoint; a refresh under its session's integration", async () => {
    const test = await sdkApp({ siteverifyUrl: sandbox.siteverifyUrl });
    const first = await test.client.post(test.app, "/token", tokenForm(test.account));
    expect(first.status).toBe(200);
    const { refreshToken } = (await first.json()) as { refreshToken: string };
    const refreshed = await test.client.post(
      test.app,
      "/refresh",
      refreshForm(test.account, refreshToken),
    );
    expect(refreshed.status).toBe(200);
    const refused = await test.client.post(
      test.app,
      "/refresh",
      refreshForm(test.account, "forged"),
    );
    expect(refused.status).toBe(400);

    const samples = await scrape(test.app);
    const ok = { outcome: "valid", code: "none", integration: "hcaptcha", api: "localhost" };
    expect(sampleValue(samples, REQUESTS, { ...ok, endpoint: "token" })).toBe(1);
    expect(sampleValue(samples, REQUESTS, { ...ok, endpoint: "refresh" })).toBe(1);
    // The client's first proof had no nonce: that refusal is a decision too.
    expect(
      sampleValue(samples, REQUESTS, {
        endpoint: "token",
        outcome: "error",
        code: "aprv-invalid-nonce",
        integration: "hcaptcha",
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, REQUESTS, {
        endpoint: "refresh",
        outcome: "error",
        code: "aprv-invalid-refresh-token",
        integration: "none",
        api: "localhost",
      }),
    ).toBe(1);
    // /refresh makes no upstream call.
    expect(sampleValue(samples, UPSTREAM_COUNT)).toBe(1);
  });

  it("an upstream failure is result=error with its 502 code; rate-limit refusals by integration", async () => {
    const test = await sdkApp({
      siteverifyUrl: await closedPortUrl(),
      account: (account) => {
        account.hcaptcha.sites[PUBLISHER.siteKey] = siteConfig({ rateLimit: 1 });
      },
    });
    const form = tokenForm(test.account);
    const unreachable = await postAttest(test.app, form);
    expect(unreachable.status).toBe(502);
    const limited = await postAttest(test.app, form);
    expect(limited.status).toBe(429);

    const samples = await scrape(test.app);
    expect(sampleValue(samples, UPSTREAM_COUNT, { integration: "hcaptcha", result: "error" })).toBe(
      1,
    );
    const failed = { endpoint: "attest", outcome: "error", code: "hcap-token-check" };
    expect(sampleValue(samples, REQUESTS, failed)).toBe(2);
    expect(sampleValue(samples, REFUSALS, { integration: "hcaptcha" })).toBe(1);
    expect(sampleValue(samples, REFUSALS, { integration: "recaptcha" })).toBe(0);
    expect(sampleValue(samples, REFUSALS, { integration: "fingerprint" })).toBe(0);
    // The latency histogram's buckets run from 5 ms to 10 s.
    const les = samples
      .filter((s) => s.name === "approov_upstream_check_seconds_bucket")
      .map((s) => s.labels.le);
    expect(les[0]).toBe("0.005");
    expect(les.at(-2)).toBe("10");
    expect(les.at(-1)).toBe("+Inf");
  });

  it("no token, secret, IP, site key or client text becomes a label value", async () => {
    const test = await sdkApp({ siteverifyUrl: sandbox.siteverifyUrl });
    const key = test.account.siteKey;
    const clientText = "eyJhbGciOiJIUzI1NiJ9.client-text-xyz";
    const valid = await postAttest(
      test.app,
      attestForm(PUBLISHER.siteKey, PUBLISHER.response, ["localhost"], key),
    );
    const token = await valid.text();
    await postAttest(test.app, attestForm("unknown-site-key-123", clientText, [clientText], key));
    await postAttest(test.app, [
      ["api", "localhost"],
      ["approov-site-key", clientText],
      [clientText, "x"],
    ]);
    const res = await test.app.request("/metrics");
    const text = await res.text();
    for (const secret of [
      test.account.secret,
      key,
      token,
      clientText,
      PUBLISHER.siteKey,
      PUBLISHER.response,
      "unknown-site-key-123",
      "203.0.113.7",
    ]) {
      expect(text).not.toContain(secret);
    }
    // Every label value of our metrics comes from a fixed set or the account's API domains.
    const allowed: Record<string, (value: string) => boolean> = {
      endpoint: (v) => ["attest", "token", "refresh"].includes(v),
      outcome: (v) => ["valid", "invalid", "error"].includes(v),
      code: (v) => v === "none" || v === "other" || isErrorCode(v),
      integration: (v) =>
        ["hcaptcha", "recaptcha", "fingerprint", "turnstile", "combined", "none"].includes(v),
      api: (v) => v === "other" || Object.hasOwn(test.account.apis, v),
      result: (v) => ["passed", "failed", "error"].includes(v),
      le: (v) => v === "+Inf" || Number.isFinite(Number(v)),
    };
    const ours = parseSamples(text).filter((s) => s.name.startsWith("approov_"));
    expect(ours.length).toBeGreaterThan(0);
    for (const sample of ours) {
      for (const [name, value] of Object.entries(sample.labels)) {
        expect(allowed[name]?.(value), `${sample.name}{${name}="${value}"}`).toBe(true);
      }
    }
  });

  it("each app has its own registry: one app's requests are not in another's", async () => {
    const a = await sdkApp();
    const b = await sdkApp();
    await postAttest(a.app, [["x", "1"]]);
    expect(sampleValue(await scrape(a.app), REQUESTS, { code: "rqst-illegal-params" })).toBe(1);
    expect(sampleValue(await scrape(b.app), REQUESTS)).toBe(0);
  });
});

describe("GET /metrics: access", () => {
  const app = (metricsToken?: string, processMetrics = false) =>
    createApp({
      account: createDefaultAccount(),
      settings: { ...DEFAULT_SETTINGS, ...(metricsToken ? { metricsToken } : {}) },
      processMetrics,
      logWriter: () => {},
    });

  it("answers Prometheus text without CORS, even to the web origin", async () => {
    const res = await app().request("/metrics", { headers: { origin: WEB_ORIGIN } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    const text = await res.text();
    expect(text).toContain("# TYPE approov_token_requests_total counter");
    expect(text).toContain("# TYPE approov_upstream_check_seconds histogram");
    expect(text).toContain("# TYPE approov_rate_limit_refusals_total counter");
    const preflight = await app().request("/metrics", {
      method: "OPTIONS",
      headers: { origin: WEB_ORIGIN, "access-control-request-method": "GET" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    const post = await app().request("/metrics", { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET");
  });

  it("with METRICS_TOKEN, requires it as a bearer token", async () => {
    const token = "scrape-token-0123456789abcdef";
    const guarded = app(token);
    const none = await guarded.request("/metrics");
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ error: "metrics token required" });
    expect(none.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
    const wrong = await guarded.request("/metrics", {
      headers: { authorization: `Bearer ${token}x` },
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: "metrics token not accepted" });
    const admin = await guarded.request("/metrics", {
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
    });
    expect(admin.status).toBe(401);
    const right = await guarded.request("/metrics", {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain("approov_token_requests_total");
  });

  it("METRICS_TOKEN comes from env; a weak one stops the service without showing it", () => {
    const token = "scrape-token-0123456789abcdef";
    expect(settingsFromEnv({ METRICS_TOKEN: token }).metricsToken).toBe(token);
    expect(settingsFromEnv({ METRICS_TOKEN: "" }).metricsToken).toBeUndefined();
    for (const weak of ["short-secret", "has a space in it here", "x".repeat(1025)]) {
      let message = "";
      try {
        settingsFromEnv({ METRICS_TOKEN: weak });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^METRICS_TOKEN must be 16 to 1024 visible ASCII characters/);
      expect(message).not.toContain(weak);
    }
  });

  it("process metrics under approov_attest_ when asked for (the service does)", async () => {
    const withProcess = await (await app(undefined, true).request("/metrics")).text();
    expect(withProcess).toMatch(/^approov_attest_process_cpu_user_seconds_total \d/m);
    expect(withProcess).toContain("approov_attest_nodejs_eventloop_lag_seconds");
    const without = await (await app().request("/metrics")).text();
    expect(without).not.toContain("approov_attest_process_");
  });
});
