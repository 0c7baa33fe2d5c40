import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";
import {
  e2eDataDir,
  ensureAccount,
  HCAPTCHA_BOT_KEY,
  HCAPTCHA_SAFE_USER_KEY,
  ports,
  repoRoot,
  TURNSTILE_DECOY_KEY,
  urls,
} from "./support/stack.js";

// Debian's Chromium where it is installed (Playwright cannot download its own
// browser here); CHROMIUM_PATH points elsewhere, and without either Playwright
// uses its own browser.
const systemChromium = "/usr/bin/chromium";
const executablePath =
  process.env.CHROMIUM_PATH || (existsSync(systemChromium) ? systemChromium : undefined);

const dataDir = e2eDataDir();
// One fuzz seed per run, chosen here so the runner and its workers agree on it.
process.env.FUZZ_SEED ??= String(Date.now() % 1_000_000);
const account = ensureAccount(dataDir);
const stackEnv = {
  ...process.env,
  WEB_PORT: String(ports.web),
  ATTEST_PORT: String(ports.attest),
  SHAPES_PORT: String(ports.shapes),
  SANDBOX_PORT: String(ports.sandbox),
  ATTEST_DATA_DIR: dataDir,
  WEB_ORIGIN: `${urls.web},${urls.botWeb},${urls.shortSessionWeb},${urls.examplesWeb}`,
} as Record<string, string>;

/**
 * Another copy of the web app with another hCaptcha site key, as a site owner who
 * followed the quickstart with that key would run it.
 */
function webAppWithSiteKey(port: number, hcaptchaSiteKey: string, turnstileSiteKey?: string) {
  return {
    command: "node apps/web/dist-server/main.js",
    cwd: repoRoot,
    env: {
      ...stackEnv,
      WEB_PORT: String(port),
      ATTEST_URL: urls.attest,
      SHAPES_API_URL: urls.shapes,
      API_DOMAIN: "localhost",
      APPROOV_SITE_KEY: account.siteKey,
      HCAPTCHA_SITE_KEY: hcaptchaSiteKey,
      ...(turnstileSiteKey ? { TURNSTILE_SITE_KEY: turnstileSiteKey } : {}),
      HCAPTCHA_JS_URL: `${urls.sandbox}/1/api.js`,
      RECAPTCHA_JS_URL: `${urls.sandbox}/recaptcha/api.js`,
      FINGERPRINT_AGENT_URL: `${urls.sandbox}/fingerprint/v3/`,
      TURNSTILE_JS_URL: `${urls.sandbox}/turnstile/v0/api.js`,
    },
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
  };
}

export default defineConfig({
  testDir: "tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    browserName: "chromium",
    baseURL: urls.web,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath,
      // As root (CI, containers) Chromium needs --no-sandbox; the rest keeps it
      // from calling out to Google's services on a closed network.
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: [
    {
      // The whole stack, exactly as `npm start` runs it (already built by turbo).
      command: "node scripts/start.mjs --no-build",
      cwd: repoRoot,
      env: stackEnv,
      url: `http://127.0.0.1:${ports.web}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    // hCaptcha's bot-detected test key: the API must refuse what this page gets.
    webAppWithSiteKey(ports.botWeb, HCAPTCHA_BOT_KEY, TURNSTILE_DECOY_KEY),
    // hCaptcha's safe-user test key, whose results the suite's account keeps 8 s only.
    webAppWithSiteKey(ports.shortSessionWeb, HCAPTCHA_SAFE_USER_KEY),
  ],
});
