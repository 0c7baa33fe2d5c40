import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

// Debian's Chromium where it is installed (Playwright cannot download its own browser
// here); CHROMIUM_PATH points elsewhere, and without either Playwright uses its own.
const systemChromium = "/usr/bin/chromium";
const executablePath =
  process.env.CHROMIUM_PATH || (existsSync(systemChromium) ? systemChromium : undefined);

export default defineConfig({
  testDir: "web-sdk",
  testMatch: "**/*.spec.ts",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  reporter: [["list"]],
  use: {
    browserName: "chromium",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath,
      // As root (CI, containers) Chromium needs --no-sandbox; the rest keeps it from
      // calling out to Google's services on a closed network.
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    },
  },
});
