import { expect, PUBLISHER, test } from "./support/fixtures.js";

// Server nonces live 1 s.
test.use({ attestEnv: { DPOP_NONCE_LIFETIME_SECONDS: "1" } });

test.describe("server nonce expiry", () => {
  test("an expired nonce on /refresh is retried once with the new one", async ({
    sdkPage,
    sdkConfig,
    serviceCalls,
  }) => {
    await sdkPage.evaluate(
      async ({ config, response }) => {
        const { Approov } = window.sdk;
        await Approov.initializeSession(config);
        await Approov.fetchToken("localhost", { hcaptchaToken: response });
        await new Promise((resolve) => setTimeout(resolve, 2100));
        await Approov.fetchToken("localhost", { payload: "new key" });
      },
      { config: sdkConfig, response: PUBLISHER.response },
    );
    // The first /token carries the nonce fetched at initialisation; two seconds later it is
    // stale, so the /refresh is refused once and retried with the new one.
    expect(serviceCalls.paths()).toEqual(["/token", "/refresh", "/refresh"]);
    expect(await serviceCalls.statuses()).toEqual([200, 400, 200]);
    const refused = await serviceCalls.requests[1]?.response();
    if (!refused) throw new Error("no answer to the refused /refresh");
    expect((await refused.json()).errors).toHaveProperty(["aprv-invalid-nonce"]);
    expect(await refused.headerValue("WWW-Authenticate")).toMatch(/use_dpop_nonce/);
  });
});
