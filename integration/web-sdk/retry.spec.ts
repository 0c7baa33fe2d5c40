import { test as base, type ErrorReport, expect, PUBLISHER } from "./support/fixtures.js";
import { type FlakyProxy, type SeenRequest, startFlakyProxy } from "./support/flaky-proxy.js";
import { checkProofSignature, verifyApproovToken } from "./support/tokens.js";

// The SDK talks to attest through a proxy that fails the next requests on purpose.
const test = base.extend<{ flaky: FlakyProxy }>({
  flaky: async ({ stack }, use) => {
    const flaky = await startFlakyProxy(stack.attestUrl);
    await use(flaky);
    await flaky.close();
  },
});

/** The claims of each request's proof, after checking its signature. */
async function proofClaims(requests: SeenRequest[]): Promise<Record<string, unknown>[]> {
  return Promise.all(
    requests.map(async ({ dpop }) => {
      if (!dpop) throw new Error("a request without a DPoP proof");
      return (await checkProofSignature(dpop)).claims;
    }),
  );
}

test.describe("retries of transient failures", () => {
  test("/token: 503 (with a nonce), 502 and a dropped connection are retried with fresh proofs", async ({
    sdkPage,
    sdkConfig,
    stack,
    flaky,
  }) => {
    flaky.fail("POST /token", [{ status: 503, withNonce: true }, { status: 502 }, "drop"]);
    const { token, proof } = await sdkPage.evaluate(
      async ({ config, response }) => {
        const { Approov } = window.sdk;
        await Approov.initializeSession(config);
        const token = await Approov.fetchToken("localhost", { hcaptchaToken: response });
        return { token, proof: await Approov.getDPoPToken("GET", "https://a.example/") };
      },
      { config: { ...sdkConfig, approovHost: flaky.url }, response: PUBLISHER.response },
    );
    const attempts = flaky.seenOf("POST /token");
    expect(attempts.map((entry) => entry.outcome)).toEqual([
      { status: 503, withNonce: true },
      { status: 502 },
      "drop",
      "forwarded",
    ]);
    const claims = await proofClaims(attempts);
    expect(new Set(claims.map((claim) => claim.jti)).size).toBe(4);
    // The retry after the 503 carries the nonce that answer brought.
    expect(attempts[0]?.servedNonce).toBeTruthy();
    expect(claims[1]?.nonce).toBe(attempts[0]?.servedNonce);
    const { jkt } = await checkProofSignature(proof);
    expect((await verifyApproovToken(token, stack.secretKey)).cnf).toEqual({ jkt });
  });

  test("/nonce and /refresh are retried too; each /refresh attempt has its own proof", async ({
    sdkPage,
    sdkConfig,
    stack,
    flaky,
  }) => {
    flaky.fail("GET /nonce", [{ status: 503 }, "drop"]);
    flaky.fail("POST /refresh", [{ status: 504 }, "drop", { status: 503 }]);
    const tokens = await sdkPage.evaluate(
      async ({ config, response }) => {
        const { Approov } = window.sdk;
        await Approov.initializeSession(config);
        const first = await Approov.fetchToken("localhost", { hcaptchaToken: response });
        // Another payload: not in the cache, so a /refresh.
        return [first, await Approov.fetchToken("localhost", { payload: "retry" })];
      },
      { config: { ...sdkConfig, approovHost: flaky.url }, response: PUBLISHER.response },
    );
    // The nonce arrived on the third try, so the first /token was not refused for lack of one.
    expect(flaky.seenOf("GET /nonce").map((entry) => entry.outcome)).toEqual([
      { status: 503 },
      "drop",
      "forwarded",
    ]);
    expect(flaky.seenOf("POST /token")).toHaveLength(1);
    const refreshes = flaky.seenOf("POST /refresh");
    expect(refreshes.map((entry) => entry.outcome)).toEqual([
      { status: 504 },
      "drop",
      { status: 503 },
      "forwarded",
    ]);
    const claims = await proofClaims(refreshes);
    expect(new Set(claims.map((claim) => claim.jti)).size).toBe(4);
    expect(tokens[1]).not.toBe(tokens[0]);
    for (const token of tokens) await verifyApproovToken(token ?? "", stack.secretKey);
  });

  test("a 4xx is never retried: the page gets it at once", async ({
    sdkPage,
    sdkConfig,
    flaky,
  }) => {
    flaky.fail("POST /token", [{ status: 429 }, { status: 400 }]);
    const reports = await sdkPage.evaluate(
      async ({ config, response }) => {
        const { Approov } = window.sdk;
        await Approov.initializeSession(config);
        const reports: ErrorReport[] = [];
        for (let i = 0; i < 2; i++) {
          try {
            await Approov.fetchToken("localhost", { hcaptchaToken: response });
          } catch (error) {
            reports.push(window.describeError(error));
          }
        }
        return reports;
      },
      { config: { ...sdkConfig, approovHost: flaky.url }, response: PUBLISHER.response },
    );
    expect(reports.map((report) => [report.name, report.status])).toEqual([
      ["ApproovServiceError", 429],
      ["ApproovServiceError", 400],
    ]);
    expect(flaky.seenOf("POST /token")).toHaveLength(2);
  });

  test('"replayed" (a Redis restarted empty) gets one new proof; a second one reaches the page', async ({
    sdkPage,
    sdkConfig,
    flaky,
  }) => {
    const replayed = { status: 400, errors: { "aprv-invalid-dpop-token": "replayed" } };
    flaky.fail("POST /token", [replayed, replayed, replayed]);
    const outcomes = await sdkPage.evaluate(
      async ({ config, response }) => {
        const { Approov } = window.sdk;
        await Approov.initializeSession(config);
        const outcomes: (string | ErrorReport)[] = [];
        for (let i = 0; i < 2; i++) {
          try {
            outcomes.push(await Approov.fetchToken("localhost", { hcaptchaToken: response }));
          } catch (error) {
            outcomes.push(window.describeError(error));
          }
        }
        return outcomes;
      },
      { config: { ...sdkConfig, approovHost: flaky.url }, response: PUBLISHER.response },
    );
    // The first call: refused twice (the second refusal is final); the second: once, then served.
    expect(outcomes[0]).toMatchObject({
      status: 400,
      errors: { "aprv-invalid-dpop-token": "replayed" },
    });
    expect(typeof outcomes[1]).toBe("string");
    const attempts = flaky.seenOf("POST /token");
    expect(attempts).toHaveLength(4);
    const claims = await proofClaims(attempts);
    expect(new Set(claims.map((claim) => claim.jti)).size).toBe(4);
  });

  test("bounded: after four retries the last 503 reaches the page", async ({
    sdkPage,
    sdkConfig,
    flaky,
  }) => {
    flaky.fail(
      "POST /token",
      Array.from({ length: 6 }, () => ({ status: 503 })),
    );
    const report = await sdkPage.evaluate(
      async ({ config, response }) => {
        const { Approov } = window.sdk;
        await Approov.initializeSession(config);
        try {
          await Approov.fetchToken("localhost", { hcaptchaToken: response });
        } catch (error) {
          return window.describeError(error);
        }
      },
      { config: { ...sdkConfig, approovHost: flaky.url }, response: PUBLISHER.response },
    );
    expect(report).toMatchObject({
      classes: ["Error", "ApproovError", "ApproovServiceError"],
      status: 503,
      errors: { "proxy-fault": "503" },
    });
    expect(flaky.seenOf("POST /token")).toHaveLength(5);
  });
});
