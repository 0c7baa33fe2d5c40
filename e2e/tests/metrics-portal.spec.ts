// The metrics portal as a person sees it: known traffic through a real attest (its own
// data directory, so the counts are exactly this test's), then each of the seed's five
// dashboards in Chromium, whose numbers (tiles, and the tables under the charts) must be
// that traffic. Each dashboard's screenshot is saved to test-results/metrics/, or with
// METRICS_SCREENSHOTS=docs to docs/metrics/ for the README (so a plain `npm test` leaves the
// committed images alone).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { HCAPTCHA_TEST_KEYS } from "@shapes/protocol";
import { SdkSession } from "../support/sdk-session.js";
import { type ServiceProcess, startServiceProcess } from "../support/service-process.js";
import { repoRoot, urls } from "../support/stack.js";

/** This test's own attest (the stack's sandbox checks its hCaptcha results). */
const ATTEST_PORT = 18030;
const attestUrl = `http://127.0.0.1:${ATTEST_PORT}`;
const SHOTS =
  process.env.METRICS_SCREENSHOTS === "docs"
    ? join(repoRoot, "docs/metrics")
    : join(repoRoot, "e2e/test-results/metrics");

/**
 * The traffic: through /attest, 4 valid, 3 decoys (hCaptcha's bot test key), 2
 * `hcap-site-key-not-found` and 1 `hcap-empty-token`; a site with `rateLimit` 1 passes one
 * and refuses the next (429); an SDK session's /token (its first proof has no server nonce:
 * one `aprv-invalid-nonce`, then a token) and one /refresh.
 */
const TRAFFIC = { valid: 4, decoys: 3, siteKeyNotFound: 2, emptyToken: 1 };
const VALID = TRAFFIC.valid + 1 + 1 + 1; // + rate-limited site's first, /token, /refresh
const ERRORS = TRAFFIC.siteKeyNotFound + TRAFFIC.emptyToken + 1 + 1; // + refusal, nonce
const REQUESTS = VALID + TRAFFIC.decoys + ERRORS;
const TOKENS = VALID + TRAFFIC.decoys;
const ATTEST_REQUESTS = TRAFFIC.valid + TRAFFIC.decoys + 3 + 2;
/** Upstream checks: every valid or decoy answer but the refresh's (no new human check). */
const UPSTREAM = TOKENS - 1;
/** The code of the rate-limit refusal, as attest answered it (read below). */
let refusalCode: string;

let dataDir: string;
let attest: ServiceProcess;
let siteKey: string;
let adminKey: string;

async function postAttest(hcaptchaSiteKey: string, token: string): Promise<Response> {
  const res = await fetch(`${attestUrl}/attest`, {
    method: "POST",
    body: new URLSearchParams([
      ["api", "localhost"],
      ["approov-site-key", siteKey],
      ["hcaptcha-site-key", hcaptchaSiteKey],
      ["hcaptcha-token", token],
    ]),
  });
  return res;
}

async function sendTraffic(): Promise<void> {
  const { publisher, enterpriseBotDetected: bot } = HCAPTCHA_TEST_KEYS;
  for (let i = 0; i < TRAFFIC.valid; i++) {
    expect((await postAttest(publisher.siteKey, publisher.response)).status).toBe(200);
  }
  for (let i = 0; i < TRAFFIC.decoys; i++) {
    expect((await postAttest(bot.siteKey, bot.response)).status).toBe(200);
  }
  for (let i = 0; i < TRAFFIC.siteKeyNotFound; i++) {
    const res = await postAttest("99999999-ffff-ffff-ffff-000000000009", "x");
    expect(res.status).toBe(400);
    expect(Object.keys((await res.json()).errors)).toEqual(["hcap-site-key-not-found"]);
  }
  const empty = await postAttest(publisher.siteKey, "");
  expect(Object.keys((await empty.json()).errors)).toEqual(["hcap-empty-token"]);

  // hCaptcha's safe-user test key with a rate limit of 1 per minute: one passes, one is refused.
  const safe = HCAPTCHA_TEST_KEYS.enterpriseSafeUser;
  const limited = await fetch(`${attestUrl}/admin/v1/web/hcaptcha/${safe.siteKey}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
    body: JSON.stringify({ secret: "0x0000000000000000000000000000000000000000", rateLimit: 1 }),
  });
  expect(limited.status).toBe(200);
  expect((await postAttest(safe.siteKey, safe.response)).status).toBe(200);
  const refused = await postAttest(safe.siteKey, safe.response);
  expect(refused.status).toBe(429);
  const codes = Object.keys((await refused.json()).errors);
  expect(codes).toHaveLength(1);
  refusalCode = codes[0] as string;

  // The SDK protocol: /token (after one nonce refusal, as approov.js), then /refresh.
  const session = await SdkSession.create(attestUrl);
  const form = { api: "localhost", "approov-site-key": siteKey };
  const started = await session.start({
    ...form,
    "hcaptcha-site-key": publisher.siteKey,
    "hcaptcha-token": publisher.response,
  });
  expect(started.status).toBe(200);
  expect((await session.refresh(form)).status).toBe(200);
}

/** What `approov metrics` does: a one-time ticket with the admin key, in the URL's fragment. */
async function signedInUrl(tab?: string): Promise<string> {
  const res = await fetch(`${attestUrl}/admin/v1/portal/tickets`, {
    method: "POST",
    headers: { authorization: `Bearer ${adminKey}` },
  });
  expect(res.status).toBe(201);
  const { ticket, path } = await res.json();
  return `${attestUrl}${path}#ticket=${ticket}${tab ? `&tab=${tab}` : ""}`;
}

const total = (page: Page, chart: string, series: string) =>
  page.locator(`table[data-chart="${chart}"] tr[data-total] td[data-series="${series}"]`);

/** The sum of a series over the table's bucket rows: the chart draws these numbers. */
async function seriesSum(page: Page, chart: string, series: string): Promise<number> {
  const cells = await page
    .locator(`table[data-chart="${chart}"] tr[data-start] td[data-series="${series}"]`)
    .allTextContents();
  return cells.reduce((sum, text) => sum + (text === "-" ? 0 : Number(text)), 0);
}

async function expectSeries(page: Page, chart: string, expected: Record<string, number>) {
  for (const [series, value] of Object.entries(expected)) {
    await expect(total(page, chart, series)).toHaveText(String(value));
    expect(await seriesSum(page, chart, series)).toBe(value);
  }
}

async function openTab(page: Page, name: string, period: string): Promise<void> {
  await page.getByRole("tab", { name }).click();
  await expect(page.locator("main")).toHaveAttribute("data-period", period);
  await expect(page.locator("main h2")).toHaveText(name);
}

/** The activity dashboards' numbers: tiles and the charts' tables. */
async function expectActivity(page: Page): Promise<void> {
  const stat = (id: string) => page.locator(`[data-stat="${id}"]`);
  await expect(stat("requests")).toHaveText(String(REQUESTS));
  await expect(stat("valid")).toHaveText(String(VALID));
  await expect(stat("invalid")).toHaveText(String(TRAFFIC.decoys));
  await expect(stat("error")).toHaveText(String(ERRORS));
  await expect(stat("rateLimited")).toHaveText("1");
  await expect(stat("tokens")).toHaveText(String(TOKENS));
  await expectSeries(page, "outcome", { valid: VALID, invalid: TRAFFIC.decoys, error: ERRORS });
  await expectSeries(page, "errors", {
    "hcap-site-key-not-found": TRAFFIC.siteKeyNotFound,
    "hcap-empty-token": TRAFFIC.emptyToken,
    "aprv-invalid-nonce": 1,
    [refusalCode]: 1,
  });
  await expectSeries(page, "integration", { hcaptcha: REQUESTS });
  await expectSeries(page, "api", { localhost: REQUESTS });
  await expectSeries(page, "endpoint", { attest: ATTEST_REQUESTS, token: 2, refresh: 1 });
  await expectSeries(page, "refusals", { hcaptcha: 1 });
  // Upstream: the valid and decoy requests were checked with the sandbox, the errors not.
  await expect(total(page, "latency", "hcaptcha p50")).toHaveText(/^\d+(\.\d)?$/);
  await expect(total(page, "latency", "hcaptcha p95")).toHaveText(/^\d+(\.\d)?$/);
  await expect(page.locator("canvas")).toHaveCount(7);
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "shapes-metrics-portal-"));
  execFileSync(process.execPath, ["apps/attest/dist/init.js"], {
    cwd: repoRoot,
    env: { ...process.env, ATTEST_DATA_DIR: dataDir },
    stdio: "ignore",
  });
  siteKey = JSON.parse(readFileSync(join(dataDir, "account.json"), "utf8")).siteKey;
  adminKey = readFileSync(join(dataDir, "admin.key"), "utf8").trim();
  attest = await startServiceProcess("apps/attest/dist/main.js", {
    ATTEST_PORT: String(ATTEST_PORT),
    ATTEST_DATA_DIR: dataDir,
    HCAPTCHA_SITEVERIFY_URL: `${urls.sandbox}/siteverify`,
    ACTIVITY_FLUSH_SECONDS: "1",
    REDIS_URL: "",
  });
  mkdirSync(SHOTS, { recursive: true });
  await sendTraffic();
});

test.afterAll(async () => {
  await attest?.stop();
});

test("without access the portal says what is missing; the admin key in its form opens it", async ({
  page,
}) => {
  await page.goto(`${attestUrl}/admin/v1/portal`);
  await expect(page.getByRole("heading", { name: "Metrics access required" })).toBeVisible();
  await expect(page.locator("#signin-reason")).toHaveText(
    "This page has no metrics session yet: it needs the admin key or a read-only metrics key.",
  );
  await page.locator("#signin-key").fill("not-the-key-not-the-key");
  await page.getByRole("button", { name: "Open the dashboards" }).click();
  await expect(page.locator("#signin-reason")).toContainText("That key was not accepted");
  await page.locator("#signin-key").fill(adminKey);
  await page.getByRole("button", { name: "Open the dashboards" }).click();
  await expect(page.locator('[data-stat="requests"]')).toHaveText(String(REQUESTS));
  // The key is not kept: only the read-only session is.
  const stored = await page.evaluate(() => JSON.stringify(sessionStorage));
  expect(stored).not.toContain(adminKey);
  expect(stored).toContain("aps_");
  // A spent ticket says so.
  const url = await signedInUrl();
  await page.goto(url);
  await expect(page).toHaveURL(/#live$/);
  await expect(page.locator('[data-stat="requests"]')).toHaveText(String(REQUESTS));
  const again = await page.context().newPage();
  await again.goto(url);
  await expect(again.locator("#signin-reason")).toContainText("The link's ticket was not accepted");
});

test("the five dashboards show the traffic sent, and Live refreshes itself", async ({ page }) => {
  // A script or style the CSP blocks, or any script error, would show in the console.
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(await signedInUrl());
  // The ticket is spent and gone from the address bar.
  await expect(page).toHaveURL(`${attestUrl}/admin/v1/portal#live`);

  await expect(page.locator("main h2")).toHaveText("Live: Web App Activity");
  await expect(page.locator("main")).toHaveAttribute("data-period", "minute");
  await expectActivity(page);
  await screenshot(page, "live-web-app-activity");

  await openTab(page, "Billing Usage", "day");
  const stat = (id: string) => page.locator(`[data-stat="${id}"]`);
  await expect(stat("tokens")).toHaveText(String(TOKENS));
  await expect(stat("freshChecks")).toHaveText(String(TOKENS - 1));
  await expect(stat("refreshes")).toHaveText("1");
  await expect(stat("upstreamChecks")).toHaveText(String(UPSTREAM));
  await expectSeries(page, "tokens", { localhost: TOKENS });
  await expectSeries(page, "checks", { fresh: TOKENS - 1, refresh: 1 });
  await expectSeries(page, "upstream", { hcaptcha: UPSTREAM });
  await expectSeries(page, "tokens-month", { localhost: TOKENS });
  await screenshot(page, "billing-usage");

  for (const [name, period, file] of [
    ["Summary: Hourly Activity", "hour", "summary-hourly-activity"],
    ["Summary: Daily Activity", "day", "summary-daily-activity"],
    ["Summary: Monthly Activity", "month", "summary-monthly-activity"],
  ] as const) {
    await openTab(page, name, period);
    await expectActivity(page);
    await screenshot(page, file);
  }

  // Live again: a new request shows up without reloading the page (it refreshes every 10 s).
  await openTab(page, "Live: Web App Activity", "minute");
  const { publisher } = HCAPTCHA_TEST_KEYS;
  expect((await postAttest(publisher.siteKey, publisher.response)).status).toBe(200);
  let reloaded = false;
  page.on("load", () => {
    reloaded = true;
  });
  await expect(page.locator('[data-stat="valid"]')).toHaveText(String(VALID + 1), {
    timeout: 15_000,
  });
  expect(reloaded).toBe(false);
  // Nothing secret on the page: no admin key, no token, no account secret.
  const html = await page.content();
  const account = JSON.parse(readFileSync(join(dataDir, "account.json"), "utf8"));
  expect(html).not.toContain(adminKey);
  expect(html).not.toContain(account.secret);
  expect(html).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
  expect(html).not.toContain(siteKey);
  expect(problems).toEqual([]);
});
