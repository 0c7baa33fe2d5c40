// Where the e2e stack runs: its own ports (so a running `npm start` demo does not
// collide) and its own account directory, shared by the config and the tests.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(fileURLToPath(new URL("../..", import.meta.url)));

export const ports = {
  web: 18000,
  attest: 18001,
  shapes: 18002,
  sandbox: 18003,
  botWeb: 18010,
  shortSessionWeb: 18011,
  /** The web app pointed at an example backend (examples/), one framework at a time. */
  examplesWeb: 18040,
  /** The example backend under test. */
  example: 18041,
};

export const urls = {
  web: `http://localhost:${ports.web}`,
  botWeb: `http://localhost:${ports.botWeb}`,
  shortSessionWeb: `http://localhost:${ports.shortSessionWeb}`,
  examplesWeb: `http://localhost:${ports.examplesWeb}`,
  attest: `http://localhost:${ports.attest}`,
  shapes: `http://localhost:${ports.shapes}`,
  sandbox: `http://localhost:${ports.sandbox}`,
};

export const HCAPTCHA_BOT_KEY = "30000000-ffff-ffff-ffff-000000000003";
/**
 * Cloudflare's invisible always-passing testing sitekey, registered in the suite's account
 * with the always-failing testing secret: the widget hands out a token, siteverify fails it,
 * attest answers a decoy. The bot web app uses it.
 */
export const TURNSTILE_DECOY_KEY = "1x00000000000000000000BB";
const TURNSTILE_FAILING_SECRET = "2x0000000000000000000000000000000AA";
export const HCAPTCHA_PUBLISHER_KEY = "10000000-ffff-ffff-ffff-000000000001";
export const HCAPTCHA_SAFE_USER_KEY = "20000000-ffff-ffff-ffff-000000000002";

/**
 * Short lifetimes so the suite sees tokens refreshed and sessions end within seconds:
 * every Approov token lives 3 s, and results of the safe-user test key only 8 s (so
 * sessions started with it end then), while the publisher key keeps the account's
 * refresh token lifetime.
 */
export const TOKEN_LIFETIME_SECONDS = 3;
export const SHORT_SESSION_SECONDS = 8;

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

/**
 * Creates the account with attest's own init step (idempotent), sets the suite's short
 * lifetimes before attest starts, and returns it.
 */
export function ensureAccount(dataDir: string): { siteKey: string; secret: string } {
  execFileSync(process.execPath, ["apps/attest/dist/init.js"], {
    cwd: repoRoot,
    env: { ...process.env, ATTEST_DATA_DIR: dataDir },
    stdio: "ignore",
  });
  const file = join(dataDir, "account.json");
  const account = JSON.parse(readFileSync(file, "utf8"));
  const safeUser = account.hcaptcha.sites[HCAPTCHA_SAFE_USER_KEY];
  if (
    account.tokenLifetimeSeconds !== TOKEN_LIFETIME_SECONDS ||
    safeUser.maxResultLifetimeSeconds !== SHORT_SESSION_SECONDS ||
    account.turnstile.sites[TURNSTILE_DECOY_KEY] === undefined
  ) {
    account.tokenLifetimeSeconds = TOKEN_LIFETIME_SECONDS;
    safeUser.maxResultLifetimeSeconds = SHORT_SESSION_SECONDS;
    account.turnstile.sites[TURNSTILE_DECOY_KEY] = { secret: TURNSTILE_FAILING_SECRET };
    writeFileSync(file, `${JSON.stringify(account, null, 2)}\n`, { mode: 0o600 });
  }
  return readAccount(dataDir);
}

export function readAccount(dataDir = e2eDataDir()): { siteKey: string; secret: string } {
  return JSON.parse(readFileSync(join(dataDir, "account.json"), "utf8"));
}
