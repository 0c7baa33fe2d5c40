import { HCAPTCHA_TEST_KEYS } from "@shapes/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActivitySummaryJson } from "../src/observability/activity-summary.js";
import { ActivityWindow } from "../src/observability/activity-window.js";
import { histogramQuantile } from "../src/observability/histogram-quantile.js";
import { ApiLabels, codeLabel, integrationLabel } from "../src/observability/metric-labels.js";
import { PUBLISHER, SECOND_API, sdkApp, siteConfig } from "./helpers/sdk-setup.js";
import { type RunningSandbox, startSandbox } from "./helpers/start-sandbox.js";
import { adminCall, NOW_MS, postAttest } from "./helpers/test-app.js";

const BOT = HCAPTCHA_TEST_KEYS.enterpriseBotDetected;

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.stop());

describe("GET /admin/v1/metrics/summary", () => {
  it("the live minute, totals since start, per integration, API and upstream", async () => {
    const test = await sdkApp({
      siteverifyUrl: sandbox.siteverifyUrl,
      account: (account) => {
        account.hcaptcha.sites[BOT.siteKey] = siteConfig({ minScore: 0.5, rateLimit: 1 });
      },
    });
    const form = (siteKey: string, token: string, apis: string[]): [string, string][] => [
      ...apis.map((api): [string, string] => ["api", api]),
      ["approov-site-key", test.account.siteKey],
      ["hcaptcha-site-key", siteKey],
      ["hcaptcha-token", token],
    ];
    const summary = async () => {
      const res = await adminCall(test.app, "GET", "/metrics/summary");
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      return (await res.json()) as ActivitySummaryJson;
    };

    expect(await summary()).toEqual({
      since: new Date(NOW_MS).toISOString(),
      window: { seconds: 60, requests: 0, valid: 0, invalid: 0, errors: {}, rateLimited: 0 },
      total: { requests: 0, valid: 0, invalid: 0, errors: {}, rateLimited: 0 },
      byIntegration: {},
      byApi: {},
      upstream: {},
    });

    const statuses = [
      await postAttest(
        test.app,
        form(PUBLISHER.siteKey, PUBLISHER.response, ["localhost", SECOND_API]),
      ),
      await postAttest(test.app, form(BOT.siteKey, BOT.response, ["localhost"])),
      await postAttest(test.app, form(BOT.siteKey, BOT.response, ["localhost"])),
      await postAttest(test.app, [
        ["api", "nope.example"],
        ["approov-site-key", test.account.siteKey],
      ]),
    ].map((res) => res.status);
    expect(statuses).toEqual([200, 200, 429, 400]);

    const counts = {
      requests: 4,
      valid: 1,
      invalid: 1,
      errors: { "hcap-token-check": 1, "aprv-api-not-found": 1, "aprv-no-web-protect-params": 1 },
      rateLimited: 1,
    };
    const first = await summary();
    expect(first).toEqual({
      since: new Date(NOW_MS).toISOString(),
      window: { seconds: 60, ...counts },
      total: counts,
      byIntegration: {
        hcaptcha: { valid: 1, invalid: 1, error: 1 },
        none: { valid: 0, invalid: 0, error: 1 },
      },
      byApi: {
        localhost: { valid: 1, invalid: 1, error: 1 },
        [SECOND_API]: { valid: 1, invalid: 0, error: 0 },
        other: { valid: 0, invalid: 0, error: 1 },
      },
      upstream: {
        hcaptcha: { count: 2, p50Ms: expect.any(Number), p95Ms: expect.any(Number) },
      },
    });
    const { p50Ms, p95Ms } = first.upstream.hcaptcha ?? { p50Ms: null, p95Ms: null };
    expect(p50Ms).toBeGreaterThan(0);
    expect(p95Ms).toBeGreaterThanOrEqual(p50Ms ?? Number.NaN);

    // The window slides: 30 s later one more error; 31 s after that only that one is in it.
    test.clock.advance(30);
    await postAttest(test.app, [["x", "1"]]);
    expect((await summary()).window.requests).toBe(5);
    test.clock.advance(31);
    const later = await summary();
    expect(later.window).toMatchObject({ requests: 1, valid: 0, invalid: 0, rateLimited: 0 });
    expect(later.window.errors).toHaveProperty("rqst-illegal-params", 1);
    expect(later.total.requests).toBe(5);
    test.clock.advance(60);
    expect((await summary()).window).toEqual({
      seconds: 60,
      requests: 0,
      valid: 0,
      invalid: 0,
      errors: {},
      rateLimited: 0,
    });
  });

  it("needs the admin key, like every admin route", async () => {
    const test = await sdkApp();
    expect((await adminCall(test.app, "GET", "/metrics/summary", undefined, null)).status).toBe(
      401,
    );
    expect((await adminCall(test.app, "GET", "/metrics/summary", undefined, "wrong")).status).toBe(
      401,
    );
  });
});

describe("the summary's parts", () => {
  it("the window keeps one slot per second and forgets what is older than a minute", () => {
    const window = new ActivityWindow(60);
    const event = { outcome: "valid" as const, codes: [], rateLimited: false };
    window.record(500, event);
    window.record(59_900, event);
    expect(window.counts(59_999).requests).toBe(2);
    expect(window.counts(60_000).requests).toBe(1);
    // Second 120 reuses second 0's and 60's slot: the old counts are dropped, not added.
    window.record(120_100, event);
    expect(window.counts(120_200).requests).toBe(1);
    expect(window.counts(1_000_000).requests).toBe(0);
  });

  it("quantiles from buckets as Prometheus estimates them", () => {
    const bounds = [1, 2, 4];
    expect(histogramQuantile(0.5, bounds, [0, 10, 0, 0])).toBe(1.5);
    expect(histogramQuantile(0.95, bounds, [10, 0, 0, 0])).toBe(0.95);
    expect(histogramQuantile(0.5, bounds, [0, 0, 0, 3])).toBe(4);
    expect(histogramQuantile(0.5, bounds, [0, 0, 0, 0])).toBeUndefined();
  });

  it("label values: bounded sets only", () => {
    expect(codeLabel("hcap-token-check")).toBe("hcap-token-check");
    expect(codeLabel("made-up-code")).toBe("other");
    expect(codeLabel("__proto__")).toBe("other");
    expect(integrationLabel([])).toBe("none");
    expect(integrationLabel(["recaptcha", "recaptcha"])).toBe("recaptcha");
    expect(integrationLabel(["recaptcha", "fingerprint"])).toBe("combined");
    const apis = new ApiLabels((domain) => domain.endsWith(".example"));
    expect(apis.of([])).toEqual(["other"]);
    expect(apis.of(["a.example", "a.example", "x.test", "y.test"])).toEqual(["a.example", "other"]);
    // At most 200 API label values ever: later registered domains count as "other".
    for (let i = 0; i < 300; i++) apis.of([`d${i}.example`]);
    expect(apis.of(["d250.example"])).toEqual(["other"]);
    expect(apis.of(["d100.example"])).toEqual(["d100.example"]);
  });
});
