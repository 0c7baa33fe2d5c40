import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Integration tests spawn a real attest and the real binary many times.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
