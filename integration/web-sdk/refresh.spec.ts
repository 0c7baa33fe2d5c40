import { decodeJwt } from "jose";
import { expect, SINGLE_USE_SITE_KEY, test } from "./support/fixtures.js";
import { executeHcaptcha } from "./support/stack.js";
import { checkProofSignature, verifyApproovToken } from "./support/tokens.js";

// 3 s tokens are served from the cache for 1 s (2 s margin), then refreshed.
test.use({ accountSettings: { tokenLifetimeSeconds: 3 } });

test.describe("short-lived tokens", () => {
  test("refresh again and again without a new hCaptcha result", async ({
    sdkPage,
    sdkConfig,
    stack,
    serviceCalls,
  }) => {
    const single = await executeHcaptcha(stack);
    const { tokens, proof } = await sdkPage.evaluate(
      async ({ config, hcaptchaToken }) => {
        const { Approov } = window.sdk;
        const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
        await Approov.initializeSession(config);
        const tokens = [await Approov.fetchToken("localhost", { hcaptchaToken })];
        tokens.push(await Approov.fetchToken("localhost"));
        for (let i = 0; i < 3; i++) {
          await sleep(1200);
          tokens.push(await Approov.fetchToken("localhost"));
        }
        const proof = await Approov.getDPoPToken("GET", "https://a.example/");
        return { tokens, proof };
      },
      { config: { ...sdkConfig, hcaptchaSiteKey: SINGLE_USE_SITE_KEY }, hcaptchaToken: single },
    );
    // The first two are the same (cached); each later one is a new, valid, bound token.
    expect(tokens[1]).toBe(tokens[0]);
    expect(new Set(tokens).size).toBe(4);
    const { jkt } = await checkProofSignature(proof);
    for (const token of tokens) {
      // Each as of when it was issued: the early ones have expired by now.
      const issuedAt = new Date(((decodeJwt(token).iat ?? 0) + 0.5) * 1000);
      const claims = await verifyApproovToken(token, stack.secretKey, issuedAt);
      expect(claims.cnf).toEqual({ jkt });
      expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBeLessThanOrEqual(3);
    }
    expect(serviceCalls.paths()).toEqual(["/token", "/refresh", "/refresh", "/refresh"]);
  });
});
