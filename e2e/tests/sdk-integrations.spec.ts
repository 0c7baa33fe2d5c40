import { expect, type Page, test } from "@playwright/test";
import { HCAPTCHA_PUBLISHER_KEY, urls } from "../support/stack.js";
import { decodeJwt, verifiesWithAccountSecret } from "../support/tokens.js";

// The local account's reCAPTCHA v3 demo site (min score 0.5, action "submit") and
// Fingerprint subscription, which the web app uses by default.
const RECAPTCHA_SITE_KEY = "6LcLocalSandboxV3DemoSiteKey000000000000";
const FINGERPRINT_KEY = "local-sandbox-public-key";

/** Clicks SHAPE and returns the v2 answer and the claims of the token it carried. */
async function shapeWithClaims(page: Page) {
  const shapes = page.waitForResponse((r) => r.url().endsWith("/v2/dpop/shapes"));
  await page.locator("#shape-button").click();
  const response = await shapes;
  const token = (await response.request().headerValue("approov-token")) as string;
  return {
    response,
    token,
    claims: decodeJwt(token) as { embed: Record<string, Record<string, unknown>> },
  };
}

test("the reCAPTCHA SDK page gets a shape with the reCAPTCHA result in the token", async ({
  page,
}) => {
  await page.goto("/approov-recaptcha-sdk-protected/");
  const { response, token, claims } = await shapeWithClaims(page);
  expect(response.status()).toBe(200);
  await expect(page.locator("#shape")).toBeVisible();
  expect(await verifiesWithAccountSecret(token)).toBe(true);
  const embed = claims.embed[`recap:${RECAPTCHA_SITE_KEY}`];
  expect(Object.keys(claims.embed)).toEqual([`recap:${RECAPTCHA_SITE_KEY}`]);
  expect(Object.keys(embed ?? {}).sort()).toEqual(["challenge_ts", "hostname"]);
});

test("a low reCAPTCHA score gets a token the API refuses", async ({ page, request }) => {
  // The sandbox's score control stands in for Google scoring this browser as a bot.
  const setScore = (score: number | null) =>
    request.post(`${urls.sandbox}/__sandbox/recaptcha/score`, {
      data: { siteKey: RECAPTCHA_SITE_KEY, score },
    });
  expect((await setScore(0.1)).ok()).toBe(true);
  try {
    await page.goto("/approov-recaptcha-sdk-protected/");
    const { response, token } = await shapeWithClaims(page);
    expect(await verifiesWithAccountSecret(token)).toBe(false);
    expect(response.status()).toBe(401);
    await expect(page.locator("#confused")).toBeVisible();
  } finally {
    await setScore(null);
  }
});

test("the Fingerprint SDK page embeds a visitor id that is stable per browser", async ({
  page,
  browser,
}) => {
  await page.goto("/approov-fingerprint-sdk-protected/");
  const first = await shapeWithClaims(page);
  expect(first.response.status()).toBe(200);
  expect(await verifiesWithAccountSecret(first.token)).toBe(true);
  const visitor = first.claims.embed[`fp:${FINGERPRINT_KEY}`] as {
    visitorId: string;
    visits: { requestId: string }[];
  };
  expect(visitor.visitorId).toMatch(/^\w{20}$/);
  expect(visitor.visits[0]?.requestId).toBeTruthy();

  // Same browser, a new page and a new Approov session: the same visitor.
  const again = await page.context().newPage();
  await again.goto("/approov-fingerprint-sdk-protected/");
  const second = await shapeWithClaims(again);
  expect((second.claims.embed[`fp:${FINGERPRINT_KEY}`] as { visitorId: string }).visitorId).toBe(
    visitor.visitorId,
  );

  // Another browser profile: another visitor.
  const other = await browser.newContext({ baseURL: urls.web });
  const otherPage = await other.newPage();
  await otherPage.goto("/approov-fingerprint-sdk-protected/");
  const third = await shapeWithClaims(otherPage);
  expect((third.claims.embed[`fp:${FINGERPRINT_KEY}`] as { visitorId: string }).visitorId).not.toBe(
    visitor.visitorId,
  );
  await other.close();
});

test("the combined page's token needs and carries all three results", async ({ page }) => {
  await page.goto("/approov-combined-sdk-protected/");
  const tokenAnswer = page.waitForResponse(
    (r) => r.url() === `${urls.attest}/token` && r.status() === 200,
  );
  const { response, token, claims } = await shapeWithClaims(page);
  expect(response.status()).toBe(200);
  expect(await verifiesWithAccountSecret(token)).toBe(true);
  expect(Object.keys(claims.embed).sort()).toEqual(
    [
      `fp:${FINGERPRINT_KEY}`,
      `hcap:${HCAPTCHA_PUBLISHER_KEY}`,
      `recap:${RECAPTCHA_SITE_KEY}`,
    ].sort(),
  );
  // One /token request carried the three results.
  const form = new URLSearchParams((await tokenAnswer).request().postData() ?? "");
  expect(form.get("hcaptcha-site-key")).toBe(HCAPTCHA_PUBLISHER_KEY);
  expect(form.get("recaptcha-site-key")).toBe(RECAPTCHA_SITE_KEY);
  expect(form.get("fingerprint-public-api-key")).toBe(FINGERPRINT_KEY);
  await expect(page.locator("#shape")).toBeVisible();
});

test("home links every variant", async ({ page }) => {
  await page.goto("/");
  const card = page.getByRole("main");
  for (const name of [
    /^unprotected$/i,
    /approov hcaptcha protected/i,
    /approov hcaptcha sdk/i,
    /approov recaptcha sdk/i,
    /approov fingerprint sdk/i,
    /approov combined sdk/i,
    /approov turnstile protected/i,
    /approov turnstile sdk/i,
  ]) {
    await expect(card.getByRole("link", { name })).toBeVisible();
  }
});
