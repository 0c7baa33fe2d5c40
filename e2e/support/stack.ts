// Where the e2e stack runs: its own ports (so a running `npm start` demo does not
// collide) and its own account directory, shared by the config and the tests.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(fileURLToPath(new URL("../..", import.meta.url)));

export const ports = { web: 18000, attest: 18001, shapes: 18002, sandbox: 18003, botWeb: 18010 };

export const urls = {
  web: `http://localhost:${ports.web}`,
  botWeb: `http://localhost:${ports.botWeb}`,
  attest: `http://localhost:${ports.attest}`,
  shapes: `http://localhost:${ports.shapes}`,
  sandbox: `http://localhost:${ports.sandbox}`,
};

export const HCAPTCHA_BOT_KEY = "30000000-ffff-ffff-ffff-000000000003";
export const HCAPTCHA_PUBLISHER_KEY = "10000000-ffff-ffff-ffff-000000000001";

/**
 * The account directory. The runner process makes it once and passes it to
 * its workers through the environment (workers inherit the runner's env).
 */
export function e2eDataDir(): string {
  if (!process.env.E2E_DATA_DIR) {
    process.env.E2E_DATA_DIR = mkdtempSync(join(tmpdir(), "shapes-e2e-"));
  }
  return process.env.E2E_DATA_DIR;
}

/** Creates the account with attest's own init step (idempotent) and returns it. */
export function ensureAccount(dataDir: string): { siteKey: string; secret: string } {
  execFileSync(process.execPath, ["apps/attest/dist/init.js"], {
    cwd: repoRoot,
    env: { ...process.env, ATTEST_DATA_DIR: dataDir },
    stdio: "ignore",
  });
  return readAccount(dataDir);
}

export function readAccount(dataDir = e2eDataDir()): { siteKey: string; secret: string } {
  return JSON.parse(readFileSync(join(dataDir, "account.json"), "utf8"));
}
