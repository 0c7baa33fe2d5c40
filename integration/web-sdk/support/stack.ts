// The real services the SDK talks to, each on a free port: the captcha sandbox, attest
// (with its own temporary account), and the page that loads dist/approov.js.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type ServiceProcess, startServiceProcess } from "@shapes/test-stack";
import { startPageServer } from "./page-server.js";

export const repoRoot = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
/** The web SDK package under test. */
export const packageDir = join(repoRoot, "packages/web-sdk");
export const sdkFile = join(packageDir, "dist/approov.js");

/** An hCaptcha site only these tests use: not a test key, so its tokens are single-use. */
export const SINGLE_USE_SITE_KEY = "approov-js-single-use-site";
const SINGLE_USE_SITE_SECRET = `0x${"5".repeat(40)}`;

/** Account fields a test group may change before attest starts. */
export interface AccountSettings {
  tokenLifetimeSeconds?: number;
  refreshTokenLifetimeSeconds?: number;
}

export interface Stack {
  pageOrigin: string;
  attestUrl: string;
  sandboxUrl: string;
  account: { siteKey: string; secret: string };
  /** The account secret as the HS256 key of valid Approov tokens. */
  secretKey: Uint8Array;
  attestOutput(): string;
  stop(): Promise<void>;
}

/** The captcha sandbox, built, on a free port. */
export function startSandbox(): Promise<ServiceProcess> {
  return startServiceProcess({
    name: "captcha-sandbox",
    args: ["apps/captcha-sandbox/dist/main.js"],
    env: { SANDBOX_PORT: "0", HOST: "127.0.0.1" },
    cwd: repoRoot,
  });
}

/** The account file attest's init.js writes (the fields these tests read or change). */
export interface AccountFile {
  siteKey: string;
  secret: string;
  tokenLifetimeSeconds: number;
  hcaptcha: { sites: Record<string, { secret: string }> };
}

/** A new account in `dataDir` (attest's init.js, with its admin key), edited before use. */
export function createAccount(dataDir: string, edit: (account: AccountFile) => void): AccountFile {
  execFileSync(process.execPath, ["apps/attest/dist/init.js"], {
    cwd: repoRoot,
    env: { ...process.env, ATTEST_DATA_DIR: dataDir },
    stdio: "ignore",
  });
  const accountFile = join(dataDir, "account.json");
  const account = JSON.parse(readFileSync(accountFile, "utf8")) as AccountFile;
  edit(account);
  writeFileSync(accountFile, JSON.stringify(account, null, 2), { mode: 0o600 });
  return account;
}

export async function startStack(
  settings: AccountSettings,
  attestEnv: Record<string, string> = {},
): Promise<Stack> {
  const dataDir = mkdtempSync(join(tmpdir(), "approov-js-test-"));
  const stops: (() => Promise<void>)[] = [
    async () => rmSync(dataDir, { recursive: true, force: true }),
  ];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    const page = await startPageServer(sdkFile);
    stops.push(page.close);

    const sandbox = await startSandbox();
    stops.push(() => sandbox.stop());

    const account = createAccount(dataDir, (draft) => {
      Object.assign(draft, settings);
      draft.hcaptcha.sites[SINGLE_USE_SITE_KEY] = { secret: SINGLE_USE_SITE_SECRET };
    });

    const attest = await startServiceProcess({
      name: "attest",
      args: ["apps/attest/dist/main.js"],
      env: {
        ATTEST_PORT: "0",
        HOST: "127.0.0.1",
        ATTEST_DATA_DIR: dataDir,
        HCAPTCHA_SITEVERIFY_URL: `${sandbox.url}/siteverify`,
        WEB_ORIGIN: page.origin,
        ...attestEnv,
      },
      cwd: repoRoot,
    });
    stops.push(() => attest.stop());

    return {
      pageOrigin: page.origin,
      attestUrl: attest.url,
      sandboxUrl: sandbox.url,
      account: { siteKey: account.siteKey, secret: account.secret },
      secretKey: new Uint8Array(Buffer.from(account.secret, "base64")),
      attestOutput: attest.output,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** A fresh single-use hCaptcha token from the sandbox, as the widget would get it. */
export async function executeHcaptcha(
  stack: Stack,
  siteKey = SINGLE_USE_SITE_KEY,
): Promise<{ response: string; key: string }> {
  const response = await fetch(`${stack.sandboxUrl}/1/execute`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ sitekey: siteKey, host: "127.0.0.1" }),
  });
  if (!response.ok) throw new Error(`sandbox /1/execute answered ${response.status}`);
  return (await response.json()) as { response: string; key: string };
}
