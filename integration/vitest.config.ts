import { defineConfig } from "vitest/config";

// The vitest half: the CLI against attest, the verifier on attest's tokens, the deploy files'
// Prometheus and dashboards against attest. The chaos test runs on its own afterwards
// (vitest.chaos.config.ts); the web SDK's Chromium tests are Playwright's (playwright.config.ts).
export default defineConfig({
  test: {
    include: ["cli/**/*.test.ts", "verifier/**/*.test.ts", "observability/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
