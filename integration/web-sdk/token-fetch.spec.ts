import { createServer } from "node:net";
import { expect, PUBLISHER, SINGLE_USE_SITE_KEY, test } from "./support/fixtures.js";
import { executeHcaptcha } from "./support/stack.js";
import { checkProofSignature, verifiesWithSecret, verifyApproovToken } from "./support/tokens.js";

test.describe("fetchToken", () => {
  test("the first fetch of a session needs a result: ApproovSessionError, no request", async ({
    sdkPage,
    sdkConfig,
    serviceCalls,
  }) => {
    const report = await sdkPage.evaluate(async (config) => {
      await window.sdk.Approov.initializeSession(config);
      try {
        await window.sdk.Approov.fetchToken("localhost", {});
      } catch (error) {
        return window.describeError(error);
      }
    }, sdkConfig);
    expect(report?.classes).toEqual(["Error", "ApproovError", "ApproovSessionError"]);
    expect(serviceCalls.requests).toHaveLength(0);
  });

  test("the seed's lazy (re-)initialisation pattern, as written", async ({
    sdkPage,
    stack,
    serviceCalls,
  }) => {
    // The seed's fetchApproovToken (hCaptcha section), with this stack's host and keys.
    const seedCode = `(async () => {
      async function fetchApproovToken(api) {
        let {Approov, ApproovSessionError} = await import("./approov.js")
        try {
          // Try to fetch an Approov token
          let approovToken = await Approov.fetchToken(api, {})
          return approovToken
        } catch (error) {
          if (error instanceof ApproovSessionError) {
            // If Approov has not been initialized yet or the Approov session has
            // expired, initialize and start a new session
            await Approov.initializeSession({
              approovHost: ${JSON.stringify(stack.attestUrl)},
              approovSiteKey: ${JSON.stringify(stack.account.siteKey)},
              hcaptchaSiteKey: ${JSON.stringify(SINGLE_USE_SITE_KEY)},
            })
            // Perform the challenge and get a fresh hCaptcha token
            const hcaptchaToken = await hcaptcha.execute({async: true})
            // Fetch the Approov token
            let approovToken = await Approov.fetchToken(api,
              {hcaptchaToken: hcaptchaToken})
            return approovToken
          } else {
            throw error
          }
        }
      }
      return [await fetchApproovToken("localhost"), await fetchApproovToken("localhost")]
    })()`;
    const [first, second] = (await sdkPage.evaluate(seedCode)) as [string, string];
    expect(second).toBe(first);
    const claims = await verifyApproovToken(first, stack.secretKey);
    expect(claims.embed).toHaveProperty([`hcap:${SINGLE_USE_SITE_KEY}`]);
    // One /token (its proof carries the nonce fetched at initialisation); the second call was cached.
    expect(serviceCalls.paths()).toEqual(["/token"]);
    expect(await serviceCalls.statuses()).toEqual([200]);
  });

  test("the first request carries the nonce fetched at initialisation: no refusal", async ({
    sdkPage,
    sdkConfig,
    serviceCalls,
    stack,
  }) => {
    const nonceAnswer = sdkPage.waitForResponse(`${stack.attestUrl}/nonce`);
    await sdkPage.evaluate(
      (args) =>
        window.sdk.Approov.initializeSession(args.config).then(() =>
          window.sdk.Approov.fetchToken("localhost", { hcaptchaToken: args.response }),
        ),
      { config: sdkConfig, response: PUBLISHER.response },
    );
    const nonce = await (await nonceAnswer).headerValue("DPoP-Nonce");
    expect(nonce).toBeTruthy();
    expect(await serviceCalls.statuses()).toEqual([200]);
    const proof = await checkProofSignature(
      (await serviceCalls.requests[0]?.headerValue("DPoP")) ?? "",
    );
    expect(proof.claims.nonce).toBe(nonce);
  });

  test("without a prefetched nonce the first request is refused once and retried, transparently", async ({
    sdkPage,
    sdkConfig,
    serviceCalls,
    stack,
  }) => {
    // The nonce request fails on the network: the SDK falls back to RFC 9449's retry.
    await sdkPage.route(`${stack.attestUrl}/nonce`, (route) => route.abort("connectionrefused"));
    await sdkPage.evaluate(
      (args) =>
        window.sdk.Approov.initializeSession(args.config).then(() =>
          window.sdk.Approov.fetchToken("localhost", { hcaptchaToken: args.response }),
        ),
      { config: sdkConfig, response: PUBLISHER.response },
    );
    expect(await serviceCalls.statuses()).toEqual([400, 200]);
    const [refused, accepted] = serviceCalls.requests;
    const refusedResponse = await refused?.response();
    expect(await refusedResponse?.json()).toMatchObject({
      errors: { "aprv-invalid-nonce": expect.any(String) },
    });
    const nonce = await refusedResponse?.headerValue("DPoP-Nonce");
    expect(nonce).toBeTruthy();
    // The retry's proof carries the nonce the refusal handed out.
    const retryProof = await checkProofSignature((await accepted?.headerValue("DPoP")) ?? "");
    expect(retryProof.claims.nonce).toBe(nonce);
    expect(retryProof.claims).toMatchObject({
      htm: "POST",
      htu: `${new URL(accepted?.url() ?? "").origin}/token`,
    });
    expect(retryProof.claims).not.toHaveProperty("ath");
    // Later requests use the latest nonce straight away: one request each.
    serviceCalls.clear();
    await sdkPage.evaluate(() => window.sdk.Approov.fetchToken("localhost", { payload: "bound" }));
    expect(serviceCalls.paths()).toEqual(["/refresh"]);
    expect(await serviceCalls.statuses()).toEqual([200]);
  });

  test("tokens verify with the account secret and are bound to the session key", async ({
    sdkPage,
    sdkConfig,
    stack,
  }) => {
    const { token, proof, expiries } = await sdkPage.evaluate(
      async ({ config, response }) => {
        const { Approov } = window.sdk;
        await Approov.initializeSession(config);
        const token = await Approov.fetchToken("localhost", { hcaptchaToken: response });
        const proof = await Approov.getDPoPToken("GET", "https://api.example/");
        return { token, proof, expiries: await Approov.getExpiries() };
      },
      { config: sdkConfig, response: PUBLISHER.response },
    );
    const claims = await verifyApproovToken(token, stack.secretKey);
    const { jkt } = await checkProofSignature(proof);
    expect(claims.cnf).toEqual({ jkt });
    expect(claims).toMatchObject({
      ip: "127.0.0.1",
      arc: expect.stringMatching(/^[A-Z2-7]{10}$/),
      embed: { [`hcap:${PUBLISHER.siteKey}`]: expect.any(Object) },
    });
    expect(claims).not.toHaveProperty("pay");
    // getExpiries: the session and the hCaptcha result, in ms (default account: 7200 s).
    expect(Object.keys(expiries).sort()).toEqual([`hcap:${PUBLISHER.siteKey}`, "session"]);
    const now = Date.now();
    expect(expiries.session).toBeGreaterThan(now + 7100_000);
    expect(expiries.session).toBeLessThanOrEqual(now + 7200_000);
    expect(expiries[`hcap:${PUBLISHER.siteKey}`]).toBe(expiries.session);
  });

  test("a cached token is returned without a request", async ({
    sdkPage,
    sdkConfig,
    serviceCalls,
  }) => {
    const tokens = await sdkPage.evaluate(
      async ({ config, response }) => {
        const { Approov } = window.sdk;
        await Approov.initializeSession(config);
        const first = await Approov.fetchToken("localhost", { hcaptchaToken: response });
        // The same result again is not a new check either.
        const again = await Approov.fetchToken("localhost", { hcaptchaToken: response });
        const later = [];
        for (let i = 0; i < 20; i++) later.push(await Approov.fetchToken("localhost"));
        return [first, again, ...later];
      },
      { config: sdkConfig, response: PUBLISHER.response },
    );
    expect(new Set(tokens).size).toBe(1);
    expect(serviceCalls.paths()).toEqual(["/token"]);
  });

  test("concurrent calls share one request", async ({
    sdkPage,
    sdkConfig,
    serviceCalls,
    stack,
  }) => {
    const single = await executeHcaptcha(stack);
    const result = await sdkPage.evaluate(
      async ({ config, hcaptchaToken }) => {
        const { Approov } = window.sdk;
        await Approov.initializeSession(config);
        // Concurrent first calls: one carries the result, the others wait for its session.
        const first = await Promise.all([
          Approov.fetchToken("localhost", { hcaptchaToken }),
          Approov.fetchToken("localhost", { hcaptchaToken }),
          Approov.fetchToken("localhost", {}),
          Approov.fetchToken("localhost", { hcaptchaToken, payload: "other key" }),
        ]);
        // Concurrent calls for a key not cached yet: one /refresh.
        const bound = await Promise.all(
          Array.from({ length: 5 }, () => Approov.fetchToken("localhost", { payload: "p" })),
        );
        return { first, bound };
      },
      { config: { ...sdkConfig, hcaptchaSiteKey: SINGLE_USE_SITE_KEY }, hcaptchaToken: single },
    );
    // The single-use hCaptcha token reached siteverify once: every token is valid.
    for (const token of [...result.first, ...result.bound]) {
      expect(await verifiesWithSecret(token, stack.secretKey)).toBe(true);
    }
    expect(new Set(result.first.slice(0, 3)).size).toBe(1);
    expect(new Set(result.bound).size).toBe(1);
    expect(serviceCalls.paths()).toEqual(["/token", "/refresh", "/refresh"]);
    expect(await serviceCalls.statuses()).toEqual([200, 200, 200]);
  });

  test("a different result is a fresh check: /token again, and older tokens are dropped", async ({
    sdkPage,
    sdkConfig,
    serviceCalls,
    stack,
  }) => {
    const first = await executeHcaptcha(stack);
    const second = await executeHcaptcha(stack);
    const tokens = await sdkPage.evaluate(
      async ({ config, first, second }) => {
        const { Approov } = window.sdk;
        await Approov.initializeSession(config);
        const a = await Approov.fetchToken("localhost", { hcaptchaToken: first });
        const b = await Approov.fetchToken("localhost", { hcaptchaToken: second });
        const c = await Approov.fetchToken("localhost", {});
        return { a, b, c };
      },
      { config: { ...sdkConfig, hcaptchaSiteKey: SINGLE_USE_SITE_KEY }, first, second },
    );
    expect(tokens.b).not.toBe(tokens.a);
    expect(tokens.c).toBe(tokens.b);
    expect(await verifiesWithSecret(tokens.b, stack.secretKey)).toBe(true);
    expect(serviceCalls.paths()).toEqual(["/token", "/token"]);
    const bodies = serviceCalls.requests.map(
      (request) => new URLSearchParams(request.postData() ?? ""),
    );
    expect(bodies[0]?.get("hcaptcha-token")).toBe(first.response);
    expect(bodies[1]?.get("hcaptcha-token")).toBe(second.response);
    expect(bodies[1]?.get("hcaptcha-key")).toBe(second.key);
  });

  test("payload binding: pay = base64(SHA-256(data)); the data never leaves the browser", async ({
    sdkPage,
    sdkConfig,
    serviceCalls,
    stack,
  }) => {
    const data = "Bearer user-credential-€";
    const tokens = await sdkPage.evaluate(
      async ({ config, response, data }) => {
        const { Approov } = window.sdk;
        await Approov.initializeSession(config);
        await Approov.fetchToken("localhost", { hcaptchaToken: response });
        // The seed's token binding example: the data as a Uint8Array.
        const payload = new TextEncoder().encode(data);
        const bytes = await Approov.fetchToken("localhost", { payload: payload });
        const text = await Approov.fetchToken("localhost", { payload: data });
        const other = await Approov.fetchToken("localhost", { payload: "other" });
        return { bytes, text, other };
      },
      { config: sdkConfig, response: PUBLISHER.response, data },
    );
    const expected = (await crypto.subtle.digest(
      "SHA-256",
      new TextEncoder().encode(data),
    )) as ArrayBuffer;
    const claims = await verifyApproovToken(tokens.bytes, stack.secretKey);
    expect(claims.pay).toBe(Buffer.from(expected).toString("base64"));
    // A string is its UTF-8 bytes: same hash, same cache entry.
    expect(tokens.text).toBe(tokens.bytes);
    expect((await verifyApproovToken(tokens.other, stack.secretKey)).pay).not.toBe(claims.pay);
    expect(serviceCalls.paths()).toEqual(["/token", "/refresh", "/refresh"]);
    const sent = serviceCalls.requests.map((request) => request.postData() ?? "").join("&");
    expect(sent).not.toContain("credential");
    expect(new URLSearchParams(serviceCalls.requests[1]?.postData() ?? "").get("payload")).toBe(
      Buffer.from(expected).toString("base64url"),
    );
  });

  test("the service's errors: ApproovServiceError with its errors object", async ({
    sdkPage,
    sdkConfig,
  }) => {
    const reports = await sdkPage.evaluate(
      async ({ config, response }) => {
        const { Approov } = window.sdk;
        const run = async (call: () => Promise<unknown>) => {
          try {
            await call();
          } catch (error) {
            return window.describeError(error);
          }
        };
        await Approov.initializeSession(config);
        const unknownApi = await run(() =>
          Approov.fetchToken("unknown.example", { hcaptchaToken: response }),
        );
        const emptyToken = await run(() => Approov.fetchToken("localhost", { hcaptchaToken: "" }));
        await Approov.initializeSession({ ...config, approovSiteKey: "not-the-account" });
        const wrongSiteKey = await run(() =>
          Approov.fetchToken("localhost", { hcaptchaToken: response }),
        );
        // A session that has its refresh token: an unknown api on /refresh.
        await Approov.initializeSession(config);
        await Approov.fetchToken("localhost", { hcaptchaToken: response });
        const unknownOnRefresh = await run(() => Approov.fetchToken("unknown.example"));
        return { unknownApi, emptyToken, wrongSiteKey, unknownOnRefresh };
      },
      { config: sdkConfig, response: PUBLISHER.response },
    );
    const serviceError = ["Error", "ApproovError", "ApproovServiceError"];
    expect(reports.unknownApi).toMatchObject({
      classes: serviceError,
      status: 400,
      message: "Bad Request",
      errors: { "aprv-api-not-found": expect.stringContaining("unknown.example") },
    });
    expect(reports.unknownApi?.errors).not.toHaveProperty("aprv-invalid-nonce");
    expect(reports.emptyToken).toMatchObject({
      classes: serviceError,
      errors: { "hcap-empty-token": "" },
    });
    expect(reports.wrongSiteKey).toMatchObject({
      classes: serviceError,
      errors: { "aprv-no-matching-account": expect.any(String) },
    });
    expect(reports.unknownOnRefresh).toMatchObject({
      classes: serviceError,
      errors: { "aprv-api-not-found": expect.any(String) },
    });
  });

  test("the other integrations' results go out under their parameter names", async ({
    sdkPage,
    stack,
    serviceCalls,
  }) => {
    // These keys are not registered with the account: the service names each one.
    const reports = await sdkPage.evaluate(
      async (config) => {
        const { Approov } = window.sdk;
        const run = async (options: Parameters<typeof Approov.fetchToken>[1]) => {
          try {
            await Approov.fetchToken("localhost", options);
          } catch (error) {
            return window.describeError(error).errors;
          }
        };
        await Approov.initializeSession(config);
        return [
          await run({ recaptchaToken: "recaptcha-response" }),
          await run({
            fingerprintIDResult: {
              fingerprintVisitorId: "visitor-1",
              fingerprintRequestId: "request-1",
            },
          }),
          await run({ fingerprintIDResult: { visitorId: "visitor-2", requestId: "request-2" } }),
        ];
      },
      {
        approovHost: stack.attestUrl,
        approovSiteKey: stack.account.siteKey,
        recaptchaSiteKey: "recaptcha-site",
        fingerprintPublicAPIKey: "fp-public-key",
      },
    );
    expect(reports[0]).toHaveProperty(["recap-site-key-not-found"]);
    expect(reports[1]).toHaveProperty(["fp-browser-tok-not-found"]);
    expect(reports[2]).toHaveProperty(["fp-browser-tok-not-found"]);
    // Each distinct body once.
    const bodies = new Map(
      serviceCalls.requests.map((request) => {
        const body = Object.fromEntries(new URLSearchParams(request.postData() ?? ""));
        return [JSON.stringify(body), body] as const;
      }),
    );
    expect(serviceCalls.paths().every((path) => path === "/token")).toBe(true);
    expect([...bodies.values()]).toEqual([
      {
        api: "localhost",
        "approov-site-key": stack.account.siteKey,
        "recaptcha-site-key": "recaptcha-site",
        "recaptcha-token": "recaptcha-response",
      },
      {
        api: "localhost",
        "approov-site-key": stack.account.siteKey,
        "fingerprint-public-api-key": "fp-public-key",
        "fingerprint-visitor-id": "visitor-1",
        "fingerprint-request-id": "request-1",
      },
      {
        api: "localhost",
        "approov-site-key": stack.account.siteKey,
        "fingerprint-public-api-key": "fp-public-key",
        "fingerprint-visitor-id": "visitor-2",
        "fingerprint-request-id": "request-2",
      },
    ]);
  });

  test("hCaptcha's {response, key, host}: host must match, a failed check still gets tokens", async ({
    sdkPage,
    sdkConfig,
    stack,
    serviceCalls,
  }) => {
    const good = await executeHcaptcha(stack);
    const bad = await executeHcaptcha(stack);
    const config = { ...sdkConfig, hcaptchaSiteKey: SINGLE_USE_SITE_KEY };
    const tokens = await sdkPage.evaluate(
      async ({ config, good, bad }) => {
        const { Approov } = window.sdk;
        await Approov.initializeSession(config);
        const valid = await Approov.fetchToken("localhost", {
          hcaptchaToken: { ...good, host: "127.0.0.1" },
        });
        await Approov.initializeSession({});
        const decoy = await Approov.fetchToken("localhost", {
          hcaptchaToken: { ...bad, host: "elsewhere.example" },
        });
        // The session of a failed check keeps issuing (decoy) tokens on refresh.
        const decoyRefresh = await Approov.fetchToken("localhost", { payload: "p" });
        return { valid, decoy, decoyRefresh };
      },
      { config, good, bad },
    );
    expect(await verifiesWithSecret(tokens.valid, stack.secretKey)).toBe(true);
    expect(await verifiesWithSecret(tokens.decoy, stack.secretKey)).toBe(false);
    expect(await verifiesWithSecret(tokens.decoyRefresh, stack.secretKey)).toBe(false);
    const tokenBodies = serviceCalls.requests
      .filter((request) => request.url().endsWith("/token"))
      .map((request) => new URLSearchParams(request.postData() ?? ""));
    expect(tokenBodies.at(-1)?.get("hcaptcha-host")).toBe("elsewhere.example");
    expect(tokenBodies.at(-1)?.get("hcaptcha-key")).toBe(bad.key);
  });

  test("attest unreachable: ApproovFetchError with the cause in errors", async ({
    sdkPage,
    sdkConfig,
  }) => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, "127.0.0.1", () => {
        const address = server.address();
        server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
      });
    });
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
      {
        config: { ...sdkConfig, approovHost: `http://127.0.0.1:${closedPort}` },
        response: PUBLISHER.response,
      },
    );
    expect(report).toMatchObject({
      classes: ["Error", "ApproovError", "ApproovFetchError"],
      errors: { name: "TypeError" },
    });
  });

  test("the SDK logs nothing", async ({ sdkPage, sdkConfig }) => {
    const messages: string[] = [];
    sdkPage.on("console", (message) => messages.push(message.text()));
    const tokens = await sdkPage.evaluate(
      async ({ config, response }) => {
        const { Approov } = window.sdk;
        await Approov.initializeSession(config);
        const a = await Approov.fetchToken("localhost", { hcaptchaToken: response });
        const b = await Approov.fetchToken("localhost", { payload: "x" });
        await Approov.fetchToken("unknown.example").catch(() => undefined);
        return [a, b];
      },
      { config: sdkConfig, response: PUBLISHER.response },
    );
    // Chromium itself reports the 400 answers (the nonce dance, the unknown api); nothing else.
    expect(messages.length).toBeGreaterThan(0);
    for (const message of messages) {
      expect(message).toMatch(
        /^Failed to load resource: the server responded with a status of 400/,
      );
    }
    expect(messages.join("\n")).not.toContain(tokens[0]?.slice(0, 20));
  });
});
