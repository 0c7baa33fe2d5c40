import { defineConfig } from "vitest/config";

// The vitest half: the CLI against attest, the verifier on attest's tokens, the deploy files'
// Prometheus and dashboards against attest, and the chaos test (approov.js in a Chromium it
// launches, through nginx while attest instances and Redis die). The web SDK's Chromium
// tests are Playwright's (playwright.config.ts).
export default defineConfig({
  test: {
    include: [
      "cli/**/*.test.ts",
      "verifier/**/*.test.ts",
      "observability/**/*.test.ts",
      "chaos/**/*.test.ts",
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
