import { expect, PUBLISHER, SINGLE_USE_SITE_KEY, test } from "./support/fixtures.js";
import { executeHcaptcha } from "./support/stack.js";
import { verifyApproovToken } from "./support/tokens.js";

// 3 s sessions (refresh token lifetime), 1 s tokens.
test.use({ accountSettings: { refreshTokenLifetimeSeconds: 3, tokenLifetimeSeconds: 1 } });

test.describe("session expiry", () => {
  test("after expiries.session: ApproovSessionError, then initializeSession({}) and a new result", async ({
    sdkPage,
    sdkConfig,
    stack,
  }) => {
    const second = await executeHcaptcha(stack);
    const result = await sdkPage.evaluate(
      async ({ config, first, second }) => {
        const { Approov } = window.sdk;
        await Approov.initializeSession(config);
        const token = await Approov.fetchToken("localhost", { hcaptchaToken: first });
        const expiries = await Approov.getExpiries();
        await new Promise((resolve) =>
          setTimeout(resolve, Math.max(0, (expiries.session ?? 0) - Date.now() + 100)),
        );
        const expired = await Approov.fetchToken("localhost").catch((error) =>
          window.describeError(error),
        );
        // A new result on the expired session does not revive it either.
        const stillExpired = await Approov.fetchToken("localhost", { hcaptchaToken: second }).catch(
          (error) => window.describeError(error),
        );
        await Approov.initializeSession({});
        const renewed = await Approov.fetchToken("localhost", { hcaptchaToken: second });
        return { token, expiries, expired, stillExpired, renewed, now: Date.now() };
      },
      {
        config: { ...sdkConfig, hcaptchaSiteKey: SINGLE_USE_SITE_KEY },
        first: await executeHcaptcha(stack),
        second,
      },
    );
    expect((result.expiries.session ?? 0) - Date.now()).toBeLessThan(3000);
    expect(result.expired).toMatchObject({
      classes: ["Error", "ApproovError", "ApproovSessionError"],
    });
    expect(result.stillExpired).toMatchObject({
      classes: ["Error", "ApproovError", "ApproovSessionError"],
    });
    expect(await verifyApproovToken(result.renewed, stack.secretKey)).toBeTruthy();
  });

  test("a refresh token the service calls expired ends the session: ApproovSessionError", async ({
    sdkPage,
    sdkConfig,
    stack,
    serviceCalls,
  }) => {
    // Make the SDK believe the session lasts an hour, so that it is the service that refuses.
    await sdkPage.route(`${stack.attestUrl}/token`, async (route) => {
      const response = await route.fetch();
      if (response.status() !== 200) return route.fulfill({ response });
      const body = await response.json();
      body.expiries.session = Date.now() + 3600_000;
      await route.fulfill({ response, json: body });
    });
    const result = await sdkPage.evaluate(
      async ({ config, response }) => {
        const { Approov } = window.sdk;
        await Approov.initializeSession(config);
        await Approov.fetchToken("localhost", { hcaptchaToken: response });
        await new Promise((resolve) => setTimeout(resolve, 3500));
        const refused = await Approov.fetchToken("localhost").catch((error) =>
          window.describeError(error),
        );
        // The session stays over: no further request.
        const again = await Approov.fetchToken("localhost").catch((error) =>
          window.describeError(error),
        );
        return { refused, again };
      },
      { config: sdkConfig, response: PUBLISHER.response },
    );
    expect(result.refused).toMatchObject({
      classes: ["Error", "ApproovError", "ApproovSessionError"],
      message: expect.stringContaining("aprv-invalid-refresh-token"),
    });
    expect(result.again).toMatchObject({
      classes: ["Error", "ApproovError", "ApproovSessionError"],
    });
    expect(serviceCalls.paths()).toEqual(["/token", "/refresh"]);
    expect(await serviceCalls.statuses()).toEqual([200, 400]);
  });

  test("the seed's getExpiries example renews the session before it ends", async ({
    sdkPage,
    sdkConfig,
  }) => {
    const outcome = await sdkPage.evaluate(
      async ({ config, response }) => {
        const { Approov, ApproovSessionError } = window.sdk;
        await Approov.initializeSession(config);
        await Approov.fetchToken("localhost", { hcaptchaToken: response });
        let renewed = false;
        // The seed's "refreshing the Approov session" example.
        // biome-ignore lint/complexity/useDateNow: the seed's code as written
        const timeLeft = ((await Approov.getExpiries()).session as number) - new Date().getTime();
        if (timeLeft < 300000) {
          // Renew session if less than 5 minutes left
          await Approov.initializeSession({});
          renewed = true;
        }
        // The next fetch needs a fresh result.
        const needsResult = await Approov.fetchToken("localhost", {}).then(
          () => false,
          (error) => error instanceof ApproovSessionError,
        );
        return { renewed, needsResult, timeLeft };
      },
      { config: sdkConfig, response: PUBLISHER.response },
    );
    expect(outcome.renewed).toBe(true);
    expect(outcome.needsResult).toBe(true);
    expect(outcome.timeLeft).toBeGreaterThan(0);
    expect(outcome.timeLeft).toBeLessThanOrEqual(3000);
  });
});
