import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { HCAPTCHA_TEST_KEYS, HCAPTCHA_TEST_SECRET } from "@shapes/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDefaultAccount } from "../src/account/account.js";
import {
  accountPath,
  dataDirFromEnv,
  loadAccount,
  loadOrCreateAccount,
  writeAccount,
} from "../src/account/account-store.js";
import { AccountFileError, parseAccount } from "../src/account/account-validate.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "attest-account-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("account store", () => {
  it("creates the pre-configured account with mode 0600 and reloads the same keys", async () => {
    const dataDir = join(dir, "nested", ".data");
    const first = await loadOrCreateAccount(dataDir);
    expect(first.created).toBe(true);
    const { account } = first;
    expect(account.siteKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-/);
    expect(Buffer.from(account.secret, "base64")).toHaveLength(32);
    expect(account.apis).toEqual({ localhost: { allowWeb: true, jwe: false } });
    expect(account.hcaptcha.optional).toBe(true);
    const sites = account.hcaptcha.sites;
    expect(sites[HCAPTCHA_TEST_KEYS.publisher.siteKey]?.minScore).toBe(0);
    expect(sites[HCAPTCHA_TEST_KEYS.enterpriseSafeUser.siteKey]?.minScore).toBe(0.5);
    expect(sites[HCAPTCHA_TEST_KEYS.enterpriseBotDetected.siteKey]?.minScore).toBe(0.5);
    for (const site of Object.values(sites)) expect(site.secret).toBe(HCAPTCHA_TEST_SECRET);

    const mode = (await stat(accountPath(dataDir))).mode & 0o777;
    expect(mode).toBe(0o600);

    const again = await loadOrCreateAccount(dataDir);
    expect(again.created).toBe(false);
    expect(again.account).toEqual(account);
    // The file is the documented format, readable by the root start script.
    const json = JSON.parse(await readFile(accountPath(dataDir), "utf8"));
    expect(json.siteKey).toBe(account.siteKey);
    expect(json.secret).toBe(account.secret);
    expect(json.version).toBe(1);
  });

  it("two processes creating at once end up with one account", async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => loadOrCreateAccount(dir)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.account.siteKey)).size).toBe(1);
    expect(await readdir(dir)).toEqual(["account.json"]);
  });

  it("writes atomically, leaving no temp files", async () => {
    const account = createDefaultAccount();
    await writeAccount(dir, account);
    const changed = { ...account, tokenLifetimeSeconds: 10 };
    await writeAccount(dir, changed);
    expect(await readdir(dir)).toEqual(["account.json"]);
    expect((await loadAccount(dir))?.tokenLifetimeSeconds).toBe(10);
    expect((await stat(accountPath(dir))).mode & 0o777).toBe(0o600);
  });

  it("returns undefined for a missing file and fails clearly for a corrupt one", async () => {
    expect(await loadAccount(dir)).toBeUndefined();
    await writeFile(accountPath(dir), "{ not json");
    await expect(loadAccount(dir)).rejects.toThrow(AccountFileError);
    await expect(loadAccount(dir)).rejects.toThrow(/account\.json: is not valid JSON/);
    await expect(loadOrCreateAccount(dir)).rejects.toThrow(/not valid JSON/);
  });

  it("names the bad field", async () => {
    const bad = createDefaultAccount() as unknown as Record<string, unknown>;
    const key = HCAPTCHA_TEST_KEYS.publisher.siteKey;
    (bad.hcaptcha as { sites: Record<string, { minScore: unknown }> }).sites[key] = {
      ...(bad.hcaptcha as { sites: Record<string, object> }).sites[key],
      minScore: 2,
    } as { minScore: unknown };
    await writeFile(accountPath(dir), JSON.stringify(bad));
    await expect(loadAccount(dir)).rejects.toThrow(
      `account.json: hcaptcha.sites["${key}"].minScore must be a number between 0 and 1`,
    );
  });

  it("validates every field", () => {
    const template = JSON.stringify(createDefaultAccount());
    const good = () => JSON.parse(template);
    const site = ["hcaptcha", "sites", HCAPTCHA_TEST_KEYS.publisher.siteKey];
    /** [path to the field, bad value, expected message part] */
    const cases: [string[], unknown, string][] = [
      [["version"], 2, "version must be 1"],
      [["siteKey"], "abc", "siteKey must be a UUID v4"],
      [["secret"], "c2hvcnQ=", "secret must be the base64 of 32 bytes"],
      [["tokenLifetimeSeconds"], 0, "tokenLifetimeSeconds must be a whole number"],
      [["refreshTokenLifetimeSeconds"], "1", "refreshTokenLifetimeSeconds must be"],
      [["apis"], [], "apis must be an object"],
      [["apis", "localhost", "allowWeb"], "yes", 'apis["localhost"].allowWeb must be true or'],
      [["apis", "localhost", "allowweb"], true, 'apis["localhost"].allowweb is not a known'],
      [["colour"], "red", "colour is not a known field"],
      [["hcaptcha", "optional"], 1, "hcaptcha.optional must be true or false"],
      [[...site, "secret"], "", `sites["${HCAPTCHA_TEST_KEYS.publisher.siteKey}"].secret must be`],
      [[...site, "domains"], "x.com", "].domains must be a list of host names"],
      [[...site, "rateLimit"], -1, "].rateLimit must be a whole number"],
    ];
    for (const [path, value, message] of cases) {
      const account = good();
      let target = account;
      for (const key of path.slice(0, -1)) target = target[key];
      target[path.at(-1) as string] = value;
      expect(() => parseAccount(account), message).toThrow(message);
    }
    expect(parseAccount(good())).toEqual(good());
  });

  it("resolves ATTEST_DATA_DIR against the working directory", () => {
    expect(dataDirFromEnv({}, "/srv/app")).toBe("/srv/app/.data");
    expect(dataDirFromEnv({ ATTEST_DATA_DIR: "state" }, "/srv/app")).toBe("/srv/app/state");
    expect(dataDirFromEnv({ ATTEST_DATA_DIR: "/var/lib/x" }, "/srv/app")).toBe("/var/lib/x");
  });
});

describe("init script", () => {
  it("creates the account and the admin key, prints one JSON line with the site key, never a secret", async () => {
    const script = fileURLToPath(new URL("../src/init.ts", import.meta.url));
    const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));
    const { stdout } = await promisify(execFile)(tsx, [script], {
      env: { ...process.env, ATTEST_DATA_DIR: "data" },
      cwd: dir,
    });
    const account = await loadAccount(join(dir, "data"));
    expect(account).toBeDefined();
    expect(stdout.endsWith("\n")).toBe(true);
    expect(
      stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line)),
    ).toEqual([
      {
        time: expect.any(String),
        level: "info",
        msg: "Approov account ready",
        dataDir: join(dir, "data"),
        siteKey: account?.siteKey,
      },
    ]);
    expect(stdout).not.toContain(account?.secret);
    // The admin key is made alongside, 0600, and never printed.
    const adminKey = (await readFile(join(dir, "data", "admin.key"), "utf8")).trim();
    expect(adminKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await stat(join(dir, "data", "admin.key"))).mode & 0o777).toBe(0o600);
    expect(stdout).not.toContain(adminKey);
    expect(stdout).not.toContain(account?.encryptionSecret);
  });
});
