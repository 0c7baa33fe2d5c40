import { expect, test } from "@playwright/test";

test("home page offers the variants and opens the unprotected app", async ({ page }) => {
  await page.goto("/");
  const card = page.getByRole("main");
  await expect(card.getByRole("link", { name: /unprotected/i })).toBeVisible();
  await expect(card.getByRole("link", { name: /approov hcaptcha protected/i })).toBeVisible();
  await card.getByRole("link", { name: /unprotected/i }).click();
  await expect(page).toHaveURL(/\/unprotected\/$/);
  await expect(page.locator("#hello-button")).toBeVisible();
});

test("unprotected HELLO calls v1/hello and shows the greeting", async ({ page }) => {
  await page.goto("/unprotected/");
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/v1/hello")),
    page.locator("#hello-button").click(),
  ]);
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ text: "Hello, World!", status: "Hello, World!" });
  await expect(page.locator("#hello")).toBeVisible();
});

test("unprotected SHAPE draws the shape v1/shapes returned", async ({ page }) => {
  await page.goto("/unprotected/");
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/v1/shapes")),
    page.locator("#shape-button").click(),
  ]);
  const body = await response.json();
  expect(["Circle", "Rectangle", "Square", "Triangle"]).toContain(body.shape);
  await expect(page.locator("#shape")).toBeVisible();
  await expect(page.locator("#shape")).toHaveClass(new RegExp(`shape-${body.shape.toLowerCase()}`));
});

test("with API_VERSION v2 and no token the API answers 400 and the app looks confused", async ({
  page,
}) => {
  // The quickstart's first step: edit app.js to call v2 before adding Approov.
  await page.route("**/unprotected/assets/js/app.js", async (route) => {
    const original = await route.fetch();
    const source = await original.text();
    expect(source).toContain('const API_VERSION = "v1"');
    await route.fulfill({
      response: original,
      body: source.replace('const API_VERSION = "v1"', 'const API_VERSION = "v2"'),
    });
  });
  await page.goto("/unprotected/");
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/v2/shapes")),
    page.locator("#shape-button").click(),
  ]);
  expect(response.status()).toBe(400);
  expect(await response.json()).toEqual({ status: "missing approov token" });
  await expect(page.locator("#confused")).toBeVisible();
  await expect(page.locator("#shape")).toBeHidden();
});
