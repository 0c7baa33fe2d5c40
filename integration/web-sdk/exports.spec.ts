import { expect, PUBLISHER, test } from "./support/fixtures.js";

test.describe("approov.js exports", () => {
  test("exports Approov and the four error classes, nothing else", async ({ sdkPage }) => {
    const shape = await sdkPage.evaluate(() => {
      const sdk = window.sdk;
      const { Approov } = sdk;
      return {
        exports: Object.keys(sdk).sort(),
        statics: Object.getOwnPropertyNames(Approov)
          .filter(
            (name) => typeof (Approov as unknown as Record<string, unknown>)[name] === "function",
          )
          .sort(),
        frozen: Object.isFrozen(Approov),
      };
    });
    expect(shape.exports).toEqual([
      "Approov",
      "ApproovError",
      "ApproovFetchError",
      "ApproovServiceError",
      "ApproovSessionError",
    ]);
    expect(shape.statics).toEqual([
      "fetchToken",
      "getDPoPToken",
      "getExpiries",
      "initializeSession",
      "messageSignature",
    ]);
    expect(shape.frozen).toBe(true);
  });

  test("the error classes are Error subclasses of ApproovError, instanceof-safe", async ({
    sdkPage,
  }) => {
    const reports = await sdkPage.evaluate(() => {
      const { ApproovError, ApproovSessionError, ApproovFetchError, ApproovServiceError } =
        window.sdk;
      const cause = new TypeError("Failed to fetch");
      return [
        new ApproovError("base"),
        new ApproovSessionError("session"),
        new ApproovFetchError("fetch", cause),
        new ApproovServiceError("Bad Request", 400, { "aprv-api-not-found": "x" }),
      ].map((error) => ({
        ...window.describeError(error),
        code: (error as { code?: string }).code,
        hasStack: typeof error.stack === "string",
      }));
    });
    expect(reports).toEqual([
      {
        name: "ApproovError",
        message: "base",
        classes: ["Error", "ApproovError"],
        errors: undefined,
        status: undefined,
        code: "approov-error",
        hasStack: true,
      },
      {
        name: "ApproovSessionError",
        message: "session",
        classes: ["Error", "ApproovError", "ApproovSessionError"],
        errors: undefined,
        status: undefined,
        code: "approov-session",
        hasStack: true,
      },
      {
        name: "ApproovFetchError",
        message: "fetch",
        classes: ["Error", "ApproovError", "ApproovFetchError"],
        errors: { name: "TypeError", message: "Failed to fetch" },
        status: undefined,
        code: "approov-fetch",
        hasStack: true,
      },
      {
        name: "ApproovServiceError",
        message: "Bad Request",
        classes: ["Error", "ApproovError", "ApproovServiceError"],
        errors: { "aprv-api-not-found": "x" },
        status: 400,
        code: "approov-service",
        hasStack: true,
      },
    ]);
  });
});

test.describe("initializeSession", () => {
  const cases: [string, unknown][] = [
    ["no argument before any initialisation", undefined],
    ["{} before any initialisation", {}],
    ["a missing approovHost", { approovSiteKey: "k", hcaptchaSiteKey: "h" }],
    ["a missing approovSiteKey", { approovHost: "web-1.approovr.io", hcaptchaSiteKey: "h" }],
    ["no integration key", { approovHost: "web-1.approovr.io", approovSiteKey: "k" }],
    ["an empty site key", { approovHost: "h.example", approovSiteKey: "", hcaptchaSiteKey: "h" }],
    ["a non-string key", { approovHost: "h.example", approovSiteKey: 1, hcaptchaSiteKey: "h" }],
    ["a misspelt option", { approovHost: "h.example", approovSiteKey: "k", hCaptchaSiteKey: "h" }],
    [
      "a host with a path",
      { approovHost: "https://h.example/x", approovSiteKey: "k", hcaptchaSiteKey: "h" },
    ],
    [
      "a non-http origin",
      { approovHost: "ftp://h.example", approovSiteKey: "k", hcaptchaSiteKey: "h" },
    ],
    ["a non-object", "web-1.approovr.io"],
  ];
  for (const [what, config] of cases) {
    test(`throws ApproovError for ${what}`, async ({ sdkPage }) => {
      const report = await sdkPage.evaluate(async (config) => {
        try {
          await window.sdk.Approov.initializeSession(config as never);
          return undefined;
        } catch (error) {
          return window.describeError(error);
        }
      }, config);
      expect(report?.classes).toEqual(["Error", "ApproovError"]);
      expect(report?.message).toMatch(/initializeSession/);
    });
  }

  test("accepts each integration key alone, a bare host and an origin", async ({ sdkPage }) => {
    const outcome = await sdkPage.evaluate(async () => {
      const { Approov } = window.sdk;
      const base = { approovHost: "web-1.approovr.io", approovSiteKey: "k" };
      await Approov.initializeSession({ ...base, hcaptchaSiteKey: "h" });
      await Approov.initializeSession({ ...base, recaptchaSiteKey: "r" });
      await Approov.initializeSession({ ...base, fingerprintPublicAPIKey: "f" });
      await Approov.initializeSession({
        ...base,
        approovHost: "http://localhost:8001",
        hcaptchaSiteKey: "h",
      });
      await Approov.initializeSession({
        ...base,
        approovHost: "localhost:8001",
        hcaptchaSiteKey: "h",
      });
      // {} and no argument reuse the last configuration.
      await Approov.initializeSession({});
      await Approov.initializeSession();
      return Approov.getExpiries();
    });
    expect(outcome).toEqual({});
  });

  test("every other function needs a session first: ApproovSessionError", async ({ sdkPage }) => {
    const reports = await sdkPage.evaluate(async () => {
      const { Approov } = window.sdk;
      const calls = [
        () => Approov.fetchToken("localhost", { hcaptchaToken: "t" }),
        () => Approov.getDPoPToken("GET", "https://api.example/x"),
        () => Approov.messageSignature(new Uint8Array([1, 2, 3])),
        () => Approov.getExpiries(),
      ];
      const reports = [];
      for (const call of calls) {
        try {
          await call();
          reports.push(undefined);
        } catch (error) {
          reports.push(window.describeError(error).classes);
        }
      }
      return reports;
    });
    const sessionError = ["Error", "ApproovError", "ApproovSessionError"];
    expect(reports).toEqual([sessionError, sessionError, sessionError, sessionError]);
  });

  test("a result for an integration not configured is an ApproovError", async ({
    sdkPage,
    sdkConfig,
    serviceCalls,
  }) => {
    const reports = await sdkPage.evaluate(async (config) => {
      const { Approov } = window.sdk;
      await Approov.initializeSession(config);
      const bad: unknown[] = [
        { recaptchaToken: "r" },
        { fingerprintIDResult: { visitorId: "v", requestId: "r" } },
        { hcaptchaToken: 42 },
        { hcaptchaToken: { key: "no response" } },
        { hcaptchaToken: "t", payload: 7 },
        { hcaptchaToken: "t", unknownOption: 1 },
      ];
      const reports = [];
      for (const options of bad) {
        try {
          await Approov.fetchToken("localhost", options as never);
          reports.push(undefined);
        } catch (error) {
          reports.push(window.describeError(error).classes);
        }
      }
      for (const api of ["", 5]) {
        try {
          await Approov.fetchToken(api as never, { hcaptchaToken: "t" });
          reports.push(undefined);
        } catch (error) {
          reports.push(window.describeError(error).classes);
        }
      }
      return reports;
    }, sdkConfig);
    expect(reports).toEqual(Array(8).fill(["Error", "ApproovError"]));
    expect(serviceCalls.requests).toHaveLength(0);
  });

  test("a bare host means https://<host>", async ({ sdkPage, page }) => {
    const seen: string[] = [];
    await page.route("https://web-1.approovr.io/**", async (route) => {
      seen.push(`${route.request().method()} ${route.request().url()}`);
      await route.abort();
    });
    const report = await sdkPage.evaluate(async (siteKey) => {
      const { Approov } = window.sdk;
      await Approov.initializeSession({
        approovHost: "web-1.approovr.io",
        approovSiteKey: "your-Approov-site-key",
        hcaptchaSiteKey: siteKey,
      });
      try {
        await Approov.fetchToken("localhost", { hcaptchaToken: "t" });
      } catch (error) {
        return window.describeError(error);
      }
    }, PUBLISHER.siteKey);
    expect(report?.classes).toContain("ApproovFetchError");
    // Five attempts: a network error is retried four times (retry.spec.ts), all to that URL.
    expect(seen.filter((entry) => entry.startsWith("POST"))).toEqual(
      Array(5).fill("POST https://web-1.approovr.io/token"),
    );
  });
});
