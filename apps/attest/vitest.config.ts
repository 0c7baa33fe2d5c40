import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

/**
 * The error table check (test/error-table.test.ts) reads the error codes every other test
 * file recorded in this run's directory, so it runs in a second group, after them all.
 */
if (!process.env.ATTEST_ERROR_CODES_DIR) {
  const dir = join(tmpdir(), `attest-error-codes-${process.pid}-${Date.now()}`);
  process.env.ATTEST_ERROR_CODES_DIR = dir;
  // Only the process that chose the directory removes it, once the whole run is over.
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
}
const ERROR_TABLE = "test/error-table.test.ts";

export default defineConfig({
  test: {
    env: { ATTEST_ERROR_CODES_DIR: process.env.ATTEST_ERROR_CODES_DIR },
    // Many tests start real processes (attest, the sandbox, redis-server): on a busy 2-core
    // machine a start alone can take seconds, so 5 s per test failed runs that were correct.
    testTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: "attest",
          include: ["test/**/*.test.ts"],
          exclude: [ERROR_TABLE],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: "error-table", include: [ERROR_TABLE], sequence: { groupOrder: 1 } },
      },
    ],
  },
});
