import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAccount } from "../src/account/account-store.js";
import { PUBLIC_SITE_FILE, TOKEN_SECRETS_FILE } from "../src/account/published-files.js";
import { adminKeyPath } from "../src/admin/admin-key.js";
import { type RunningRedis, startRedis } from "./helpers/redis-server.js";
import {
  admin as adminOf,
  type Instance,
  sleep,
  startInstance,
  stopInstance,
} from "./helpers/scale-out.js";
import { type RunningAttest, runAttestToExit, startAttest } from "./helpers/start-attest.js";

/**
 * The real attest process publishes what each reader of the account needs, and nothing
 * more: a public file for the web app, the token secrets for the API, each in its own
 * directory (outside the data directory here, as docker-compose mounts them), rewritten
 * on every account change.
 */

/** A new hCaptcha site (the sandbox's safe-user test key) and a secret that must not leak. */
const NEW_SITE = "20000000-ffff-ffff-ffff-000000000002";
const NEW_SITE_SECRET = "0x1111111111111111111111111111111111111111";

let root: string;
let dataDir: string;
let publicDir: string;
let tokenSecretsDir: string;
let attest: RunningAttest;
let adminKey: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "attest-published-"));
  dataDir = join(root, "data");
  publicDir = join(root, "attest-public");
  tokenSecretsDir = join(root, "token-secrets");
  attest = await startAttest(dataDir, 30_000, {
    ATTEST_PUBLIC_DIR: publicDir,
    ATTEST_TOKEN_SECRETS_DIR: tokenSecretsDir,
  });
  adminKey = (await readFile(adminKeyPath(dataDir), "utf8")).trim();
}, 60_000);

afterAll(async () => {
  await attest?.stop("SIGKILL");
  await rm(root, { recursive: true, force: true });
});

const readJson = async (path: string) =>
  JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
const mode = async (path: string) => (await stat(path)).mode & 0o777;

function admin(method: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${attest.url}/admin/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** Every secret of the account as it is on disk now, and the admin key. */
async function everySecret(): Promise<string[]> {
  const account = await loadAccount(dataDir);
  if (!account) throw new Error("no account");
  const entrySecrets = [account.hcaptcha, account.recaptcha, account.turnstile]
    .flatMap((section) => Object.values(section.sites))
    .concat(Object.values(account.fingerprint.subscriptions))
    .map((entry) => (entry as { secret: string }).secret);
  return [adminKey, account.secret, account.encryptionSecret, ...entrySecrets];
}

describe("the files attest publishes for the account's readers", () => {
  it("a public file (0644) with the site keys only, and the token secrets (0600) only", async () => {
    const account = await loadAccount(dataDir);
    const site = await readJson(join(publicDir, PUBLIC_SITE_FILE));
    expect(Object.keys(site).sort()).toEqual(["integrationKeys", "siteKey", "version"]);
    expect(site.siteKey).toBe(account?.siteKey);
    expect(Object.keys(site.integrationKeys as object).sort()).toEqual([
      "fingerprint",
      "hcaptcha",
      "recaptcha",
      "turnstile",
    ]);
    expect((site.integrationKeys as Record<string, string[]>).hcaptcha).toEqual(
      Object.keys(account?.hcaptcha.sites ?? {}).sort(),
    );
    const publicText = await readFile(join(publicDir, PUBLIC_SITE_FILE), "utf8");
    for (const secret of await everySecret()) expect(publicText).not.toContain(secret);

    const secrets = await readJson(join(tokenSecretsDir, TOKEN_SECRETS_FILE));
    expect(secrets).toEqual({
      version: 1,
      secret: account?.secret,
      encryptionSecret: account?.encryptionSecret,
    });
    const secretsText = await readFile(join(tokenSecretsDir, TOKEN_SECRETS_FILE), "utf8");
    expect(secretsText).not.toContain(adminKey);

    expect(await mode(join(publicDir, PUBLIC_SITE_FILE))).toBe(0o644);
    expect(await mode(publicDir)).toBe(0o755);
    expect(await mode(join(tokenSecretsDir, TOKEN_SECRETS_FILE))).toBe(0o600);
    expect(await mode(tokenSecretsDir)).toBe(0o700);
  });

  it("rewrites them with an answered admin change, still without its secret", async () => {
    const before = await readFile(join(tokenSecretsDir, TOKEN_SECRETS_FILE), "utf8");
    const put = await admin("PUT", `/web/hcaptcha/${NEW_SITE}`, { secret: NEW_SITE_SECRET });
    expect(put.status).toBe(200);
    // Answered means saved: the account file, then the published files.
    const site = await readJson(join(publicDir, PUBLIC_SITE_FILE));
    expect((site.integrationKeys as Record<string, string[]>).hcaptcha).toContain(NEW_SITE);
    const publicText = await readFile(join(publicDir, PUBLIC_SITE_FILE), "utf8");
    expect(publicText).not.toContain(NEW_SITE_SECRET);
    expect(await mode(join(publicDir, PUBLIC_SITE_FILE))).toBe(0o644);
    expect(await readFile(join(tokenSecretsDir, TOKEN_SECRETS_FILE), "utf8")).toBe(before);
  });

  it("refuses a public directory that would expose the data directory or the secrets", async () => {
    const otherData = join(root, "other-data");
    const refused: Record<string, string>[] = [
      { ATTEST_PUBLIC_DIR: otherData },
      { ATTEST_PUBLIC_DIR: root },
      { ATTEST_PUBLIC_DIR: publicDir, ATTEST_TOKEN_SECRETS_DIR: join(publicDir, "secrets") },
      { ATTEST_TOKEN_SECRETS_DIR: otherData },
    ];
    const exits = await Promise.all(refused.map((env) => runAttestToExit(otherData, 30_000, env)));
    exits.forEach((exited, i) => {
      expect(exited.code, JSON.stringify(refused[i])).toBe(1);
      expect(exited.output).toMatch(/ATTEST_(PUBLIC|TOKEN_SECRETS)_DIR must not be/);
    });
  }, 60_000);
});

describe("with instances sharing the account through Redis", () => {
  let redis: RunningRedis;
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    redis = await startRedis();
    a = await startInstance({ REDIS_URL: redis.url });
    b = await startInstance({ REDIS_URL: redis.url });
  }, 60_000);

  afterAll(async () => {
    await Promise.all([stopInstance(a), stopInstance(b)]);
    await redis?.dispose();
  });

  /** An instance's published public file (in its data dir by default) once it satisfies `holds`. */
  async function publishedBy(instance: Instance, holds: (site: PublicSite) => boolean) {
    const deadline = Date.now() + 30_000; // a hang guard, not a claim about speed
    for (;;) {
      const site = (await readJson(
        join(instance.dir, "public", PUBLIC_SITE_FILE),
      )) as unknown as PublicSite;
      if (holds(site)) return site;
      if (Date.now() > deadline) throw new Error(`never published: ${JSON.stringify(site)}`);
      await sleep(50);
    }
  }

  it("an instance republishes what it adopts from another: the account at start, then changes", async () => {
    // B started with an account of its own and took A's (seeded into Redis) instead.
    const seeded = (await loadAccount(a.dir))?.siteKey;
    await publishedBy(b, (site) => site.siteKey === seeded);
    const secrets = await readJson(join(b.dir, "token-secrets", TOKEN_SECRETS_FILE));
    expect(secrets.secret).toBe((await loadAccount(a.dir))?.secret);

    const put = await adminOf(a, "PUT", `/web/hcaptcha/${NEW_SITE}`, { secret: NEW_SITE_SECRET });
    expect(put.status).toBe(200);
    const site = await publishedBy(
      b,
      (s) => s.integrationKeys.hcaptcha?.includes(NEW_SITE) ?? false,
    );
    expect(JSON.stringify(site)).not.toContain(NEW_SITE_SECRET);
  });
});

interface PublicSite {
  siteKey: string;
  integrationKeys: Record<string, string[]>;
}
