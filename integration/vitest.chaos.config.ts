import { defineConfig } from "vitest/config";

// The chaos test alone, after the other vitest files: it loads the machine (Chromium, two
// attest instances, nginx, Redis) and bounds outages in time, so nothing else runs beside it.
export default defineConfig({
  test: {
    include: ["chaos/**/*.test.ts"],
    testTimeout: 110_000,
    hookTimeout: 60_000,
  },
});
