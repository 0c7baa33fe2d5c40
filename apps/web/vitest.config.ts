import { defineConfig } from "vitest/config";

// Separate from vite.config.ts, whose root is the site/ directory of pages.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
  },
});
