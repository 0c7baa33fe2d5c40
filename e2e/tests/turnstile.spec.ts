import { expect, test } from "@playwright/test";
import { TURNSTILE_TEST_KEYS } from "@shapes/protocol";
import { TURNSTILE_DECOY_KEY, urls } from "../support/stack.js";
import { decodeJwt, verifiesWithAccountSecret } from "../support/tokens.js";

const PLAIN = "/approov-turnstile-protected/";
const SDK = "/approov-turnstile-sdk-protected/";
const PASSES = TURNSTILE_TEST_KEYS.alwaysPasses;

test("the plain-JS Turnstile page: a fresh token per click, exchanged at /attest, and a shape", async ({
  page,
}) => {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(PLAIN);
  await expect(page.locator("#turnstile-widget[data-turnstile-widget-id]")).toBeVisible();
  // The page's own navbar entry names it (it started as a copy of the hCaptcha page).
  await expect(page.locator("#example-collapse-navbar a").last()).toHaveText(
    "Approov Turnstile Protected",
  );

  for (let click = 0; click < 2; click++) {
    const attestDone = page.waitForResponse((r) => r.url() === `${urls.attest}/attest`);
    const shapesDone = page.waitForResponse((r) => r.url().endsWith("/v2/shapes"));
    await page.locator("#shape-button").click();
    const attest = await attestDone;
    expect(attest.status()).toBe(200);
    const form = new URLSearchParams(attest.request().postData() ?? "");
    expect(form.get("turnstile-site-key")).toBe(PASSES);
    expect(form.get("turnstile-token")).toBeTruthy();
    const shapes = await shapesDone;
    expect(shapes.status()).toBe(200);
    await expect(page.locator("#shape")).toBeVisible();
    const token = (await shapes.request().headerValue("approov-token")) as string;
    expect(await verifiesWithAccountSecret(token)).toBe(true);
    const embed = decodeJwt(token).embed as Record<string, { hostname: string }>;
    expect(Object.keys(embed)).toEqual([`turn:${PASSES}`]);
  }
  expect(errors).toEqual([]);
});

test("a Turnstile result siteverify fails gets a decoy the API refuses: confused face", async ({
  page,
}) => {
  await page.goto(`${urls.botWeb}${PLAIN}`);
  const attestDone = page.waitForResponse((r) => r.url() === `${urls.attest}/attest`);
  const shapesDone = page.waitForResponse((r) => r.url().endsWith("/v2/shapes"));
  await page.locator("#shape-button").click();
  const attest = await attestDone;
  // The client cannot tell: 200 and a token, as for a pass.
  expect(attest.status()).toBe(200);
  expect(new URLSearchParams(attest.request().postData() ?? "").get("turnstile-site-key")).toBe(
    TURNSTILE_DECOY_KEY,
  );
  expect((await shapesDone).status()).toBe(401);
  await expect(page.locator("#confused")).toBeVisible();
});

test("the Turnstile SDK page: one Turnstile token per session, DPoP-bound tokens, shapes", async ({
  page,
}) => {
  await page.goto(SDK);
  const tokenAnswer = page.waitForResponse((r) => r.url() === `${urls.attest}/token`);
  const firstShape = page.waitForResponse((r) => r.url().endsWith("/v2/dpop/shapes"));
  await page.locator("#shape-button").click();
  const form = new URLSearchParams((await tokenAnswer).request().postData() ?? "");
  expect(form.get("turnstile-site-key")).toBe(PASSES);
  expect(form.get("turnstile-token")).toBeTruthy();
  const shape = await firstShape;
  expect(shape.status()).toBe(200);
  const token = (await shape.request().headerValue("approov-token")) as string;
  expect(Object.keys(decodeJwt(token).embed as object)).toEqual([`turn:${PASSES}`]);
  await expect(page.locator("#shape")).toBeVisible();

  // The next request of the session needs no new Turnstile token.
  let tokenCalls = 0;
  page.on("request", (request) => {
    if (request.url() === `${urls.attest}/token`) tokenCalls += 1;
  });
  const second = page.waitForResponse((r) => r.url().endsWith("/v2/dpop/shapes"));
  await page.locator("#shape-button").click();
  expect((await second).status()).toBe(200);
  expect(tokenCalls).toBe(0);
});
