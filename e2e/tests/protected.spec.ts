import { expect, type Page, test } from "@playwright/test";
import { HCAPTCHA_BOT_KEY, HCAPTCHA_PUBLISHER_KEY, urls } from "../support/stack.js";
import { decodeJwt, verifiesWithAccountSecret } from "../support/tokens.js";

const PAGE = "/approov-hcaptcha-protected/";

/** Collects Content-Security-Policy violations the page reports. */
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.exposeFunction("__reportCsp", (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      (window as unknown as { __reportCsp: (t: string) => void }).__reportCsp(
        `${event.violatedDirective} ${event.blockedURI}`,
      );
    });
  });
  return violations;
}

test("SHAPE gets an hCaptcha token, exchanges it for an Approov token and draws a shape", async ({
  page,
}) => {
  const violations = await watchCsp(page);
  const pageResponse = await page.goto(PAGE);
  expect(pageResponse?.headers()["content-security-policy"]).toContain("connect-src");

  const attestDone = page.waitForResponse((r) => r.url() === `${urls.attest}/attest`);
  const shapesDone = page.waitForResponse((r) => r.url().endsWith("/v2/shapes"));
  await page.locator("#shape-button").click();

  const attest = await attestDone;
  expect(attest.status()).toBe(200);
  const form = new URLSearchParams(attest.request().postData() ?? "");
  expect(form.get("api")).toBe("localhost");
  expect(form.get("hcaptcha-site-key")).toBe(HCAPTCHA_PUBLISHER_KEY);
  expect(form.get("hcaptcha-token")).toBeTruthy();

  const shapes = await shapesDone;
  expect(shapes.status()).toBe(200);
  const body = await shapes.json();
  expect(body.status).toBe(`${body.shape} (approoved)`);
  await expect(page.locator("#shape")).toBeVisible();
  await expect(page.locator("#shape")).toHaveClass(new RegExp(`shape-${body.shape.toLowerCase()}`));

  // The request that reached v2 carried a real Approov token with the hCaptcha result.
  const token = await shapes.request().headerValue("approov-token");
  expect(token).toBeTruthy();
  expect(await verifiesWithAccountSecret(token as string)).toBe(true);
  const claims = decodeJwt(token as string) as Record<string, unknown>;
  const embed = claims.embed as Record<string, { challenge_ts: string; hostname: string }>;
  const result = embed[`hcap:${HCAPTCHA_PUBLISHER_KEY}`];
  expect(result).toBeDefined();
  expect(Number.isNaN(Date.parse(result?.challenge_ts ?? ""))).toBe(false);
  expect(typeof result?.hostname).toBe("string");
  expect(claims.exp).toBeGreaterThan(Date.now() / 1000);
  expect(claims.arc).toMatch(/^[A-Z2-7]{10}$/);
  expect(typeof claims.ip).toBe("string");

  expect(violations).toEqual([]);
});

test("HELLO goes through hCaptcha and Approov to v2/hello", async ({ page }) => {
  await page.goto(PAGE);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/v2/hello")),
    page.locator("#hello-button").click(),
  ]);
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({
    text: "Hello, World!",
    status: "Hello, World! (healthy)",
  });
  await expect(page.locator("#hello")).toBeVisible();
});

test("a bot (hCaptcha's bot-detected test key) gets a token the API refuses: confused face", async ({
  page,
}) => {
  await page.goto(`${urls.botWeb}${PAGE}`);
  const attestDone = page.waitForResponse((r) => r.url() === `${urls.attest}/attest`);
  const shapesDone = page.waitForResponse((r) => r.url().endsWith("/v2/shapes"));
  await page.locator("#shape-button").click();

  const attest = await attestDone;
  // No hint to the client: a 200 with a token of the usual shape...
  expect(attest.status()).toBe(200);
  const token = await attest.text();
  const claims = decodeJwt(token) as Record<string, unknown>;
  expect(Object.keys(claims).sort()).toEqual(expect.arrayContaining(["arc", "embed", "exp", "ip"]));
  expect(Object.keys(claims.embed as object)).toEqual([`hcap:${HCAPTCHA_BOT_KEY}`]);
  // ...that the backend cannot verify.
  expect(await verifiesWithAccountSecret(token)).toBe(false);

  const shapes = await shapesDone;
  expect(shapes.status()).toBe(401);
  expect(await shapes.json()).toEqual({ status: "invalid approov token" });
  await expect(page.locator("#confused")).toBeVisible();
  await expect(page.locator("#shape")).toBeHidden();
});
