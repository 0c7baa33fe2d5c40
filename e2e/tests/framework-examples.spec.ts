// The Shapes API on the frameworks teams run (examples/), each protected by its
// @shapes/verifier adapter, driven by the real pages in Chromium: the quickstart's plain-JS
// page (v2/shapes) and the SDK page (v2/dpop/shapes, DPoP proofs).
import { expect, test } from "@playwright/test";
import { type ServiceProcess, startServiceProcess } from "../support/service-process.js";
import { e2eDataDir, ensureAccount, ports, readAccount, urls } from "../support/stack.js";

const FRAMEWORKS = ["express", "fastify", "koa", "next"];
const api = `http://localhost:${ports.example}`;

for (const framework of FRAMEWORKS) {
  test.describe(`the ${framework} example`, () => {
    const started: ServiceProcess[] = [];
    test.beforeAll(async () => {
      ensureAccount(e2eDataDir());
      const account = readAccount();
      started.push(
        await startServiceProcess(`examples/${framework}/server.mjs`, {
          PORT: String(ports.example),
          APPROOV_SECRET: account.secret,
          WEB_ORIGIN: urls.examplesWeb,
        }),
        await startServiceProcess("apps/web/dist-server/main.js", {
          WEB_PORT: String(ports.examplesWeb),
          ATTEST_URL: urls.attest,
          SHAPES_API_URL: api,
          API_DOMAIN: "localhost",
          APPROOV_SITE_KEY: account.siteKey,
          HCAPTCHA_JS_URL: `${urls.sandbox}/1/api.js`,
        }),
      );
    });
    test.afterAll(async () => {
      for (const service of started.reverse()) await service.stop();
    });

    test("answers v1 openly and refuses v2 without a token", async ({ request }) => {
      expect((await request.get(`${api}/v1/shapes`)).status()).toBe(200);
      const refused = await request.get(`${api}/v2/shapes`);
      expect(refused.status()).toBe(400);
      expect(await refused.json()).toEqual({ status: "missing approov token" });
    });

    test("the quickstart's protected page gets a shape", async ({ page }) => {
      await page.goto(`${urls.examplesWeb}/approov-hcaptcha-protected/`);
      const shapes = page.waitForResponse((r) => r.url() === `${api}/v2/shapes`);
      await page.locator("#shape-button").click();
      const answer = await shapes;
      expect(answer.status()).toBe(200);
      expect((await answer.json()).status).toMatch(/ \(approoved\)$/);
      await expect(page.locator("#shape")).toBeVisible();
    });

    test("the SDK page gets a shape through the DPoP route", async ({ page }) => {
      await page.goto(`${urls.examplesWeb}/approov-hcaptcha-sdk-protected/`);
      const shapes = page.waitForResponse((r) => r.url() === `${api}/v2/dpop/shapes`);
      await page.locator("#shape-button").click();
      const answer = await shapes;
      expect(answer.status()).toBe(200);
      expect(await answer.request().headerValue("dpop")).toBeTruthy();
      await expect(page.locator("#shape")).toBeVisible();
    });
  });
}
