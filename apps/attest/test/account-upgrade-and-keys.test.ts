import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDefaultAccount } from "../src/account/account.js";
import { AccountHolder } from "../src/account/account-holder.js";
import { accountPath, loadAccount } from "../src/account/account-store.js";
import { AccountFileError, parseAccount } from "../src/account/account-validate.js";
import { removeLeftoverTemps } from "../src/account/atomic-file.js";
import { AdminKeyFileError, adminKeyPath, loadOrCreateAdminKey } from "../src/admin/admin-key.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "attest-keys-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("encryptionSecret", () => {
  it("an older v1 file without it gets one on load, rewritten atomically (0600)", async () => {
    const { encryptionSecret: _none, ...older } = createDefaultAccount();
    await writeFile(accountPath(dir), JSON.stringify(older), { mode: 0o600 });
    const loaded = await loadAccount(dir);
    expect(Buffer.from(loaded?.encryptionSecret ?? "", "base64")).toHaveLength(32);
    expect(loaded?.encryptionSecret).not.toBe(loaded?.secret);
    const onDisk = JSON.parse(await readFile(accountPath(dir), "utf8"));
    expect(onDisk.encryptionSecret).toBe(loaded?.encryptionSecret);
    expect(onDisk.secret).toBe(older.secret);
    expect(onDisk.recaptcha).toEqual(older.recaptcha);
    expect(onDisk.fingerprint).toEqual(older.fingerprint);
    expect((await stat(accountPath(dir))).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(["account.json"]);
    // Loaded again: the same secret, no new one.
    expect((await loadAccount(dir))?.encryptionSecret).toBe(loaded?.encryptionSecret);
  });

  it("the new fields are validated with their path named", () => {
    const template = JSON.stringify(createDefaultAccount());
    const cases: [(a: Record<string, unknown>) => void, string][] = [
      [(a) => (a.encryptionSecret = "c2hvcnQ="), "encryptionSecret must be the base64 of 32 bytes"],
      [(a) => (a.recaptcha = []), "recaptcha must be an object"],
      [(a) => (a.recaptcha = { optional: "no" }), "recaptcha.optional must be true or false"],
      [
        (a) => (a.recaptcha = { subscriptions: {} }),
        "recaptcha.subscriptions is not a known field",
      ],
      [
        (a) => (a.recaptcha = { sites: { k: { secret: "s", actions: [""] } } }),
        'recaptcha.sites["k"].actions must be a list',
      ],
      [
        (a) => (a.recaptcha = { sites: { k: { secret: "s", minScore: -1 } } }),
        'recaptcha.sites["k"].minScore must be a number between 0 and 1',
      ],
      [
        (a) => (a.fingerprint = { subscriptions: { p: { secret: "s", region: "eu" } } }),
        'fingerprint.subscriptions["p"].region must be RoW or EU',
      ],
      [
        (a) =>
          (a.fingerprint = { subscriptions: { p: { secret: "s", maxElapsedTimeSeconds: -2 } } }),
        'fingerprint.subscriptions["p"].maxElapsedTimeSeconds must be a number of seconds',
      ],
      [
        (a) => (a.fingerprint = { subscriptions: { p: { region: "EU" } } }),
        'fingerprint.subscriptions["p"].secret must be',
      ],
      [
        (a) => (a.fingerprint = { subscriptions: { p: { secret: "s", maxBotProbability: 1.5 } } }),
        'fingerprint.subscriptions["p"].maxBotProbability must be a number between 0 and 1',
      ],
    ];
    for (const [change, message] of cases) {
      const account = JSON.parse(template);
      change(account);
      expect(() => parseAccount(account), message).toThrow(`account.json: ${message}`);
    }
    const full = JSON.parse(template);
    full.recaptcha = { optional: false, sites: { k: { secret: "s", actions: ["login"] } } };
    full.fingerprint = { optional: true, subscriptions: { p: { secret: "s", region: "EU" } } };
    expect(parseAccount(full).recaptcha.sites.k).toEqual({
      secret: "s",
      domains: [],
      actions: ["login"],
      minScore: 0,
      includeIP: false,
      embedResult: false,
      maxResultLifetimeSeconds: 0,
      rateLimit: 0,
    });
    expect(parseAccount(full).fingerprint.subscriptions.p).toEqual({
      secret: "s",
      region: "EU",
      maxElapsedTimeSeconds: 2,
      maxBotProbability: 1,
      embedResult: false,
      maxResultLifetimeSeconds: 0,
      rateLimit: 0,
    });
  });
});

describe("admin key", () => {
  it("is created once: 32 random bytes base64url, mode 0600, the same on every later load", async () => {
    const first = await loadOrCreateAdminKey(dir);
    expect(first.created).toBe(true);
    expect(first.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(first.key, "base64url")).toHaveLength(32);
    expect((await stat(adminKeyPath(dir))).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateAdminKey(dir)).toEqual({ key: first.key, created: false });
  });

  it("concurrent creators agree on one key", async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => loadOrCreateAdminKey(dir)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.key)).size).toBe(1);
    expect(await readdir(dir)).toEqual(["admin.key"]);
  });

  it("a file that is not a key stops with a message naming the file, not its content", async () => {
    await writeFile(adminKeyPath(dir), "hunter2\n");
    const refused = loadOrCreateAdminKey(dir);
    await expect(refused).rejects.toThrow(AdminKeyFileError);
    await expect(loadOrCreateAdminKey(dir)).rejects.toThrow(
      `${adminKeyPath(dir)}: must hold the base64url of 32 bytes`,
    );
    await expect(loadOrCreateAdminKey(dir)).rejects.not.toThrow(/hunter2/);
  });
});

describe("leftover temp files", () => {
  it("removes dead writers', this pid's and old ones; keeps a live writer's fresh file", async () => {
    const exited = spawn(process.execPath, ["-e", ""]);
    const deadPid = await new Promise<number>((done) =>
      exited.once("exit", () => done(exited.pid ?? 0)),
    );
    const names = {
      dead: `.account.json.${deadPid}.0123456789ab.tmp`,
      own: `.account.json.${process.pid}.0123456789ab.tmp`,
      live: `.account.json.${process.ppid}.0123456789ab.tmp`,
      liveOld: `.admin.key.${process.ppid}.ba9876543210.tmp`,
      other: "notes.txt",
    };
    for (const name of Object.values(names)) await writeFile(join(dir, name), "x");
    const old = new Date(Date.now() - 11 * 60_000);
    await utimes(join(dir, names.liveOld), old, old);
    const removed = await removeLeftoverTemps(dir);
    expect(removed.sort()).toEqual([names.dead, names.own, names.liveOld].sort());
    expect((await readdir(dir)).sort()).toEqual([names.live, names.other].sort());
  });
});

describe("AccountHolder", () => {
  it("refuses a change that does not validate: nothing saved, nothing swapped", async () => {
    let saves = 0;
    const holder = new AccountHolder(createDefaultAccount(), {
      persist: async () => {
        saves += 1;
      },
    });
    const before = holder.get();
    await expect(
      holder.update((draft) => {
        draft.tokenLifetimeSeconds = 0;
      }),
    ).rejects.toThrow(AccountFileError);
    expect(saves).toBe(0);
    expect(holder.get()).toBe(before);
    // The queue goes on after a refused change.
    await holder.update((draft) => {
      draft.tokenLifetimeSeconds = 5;
    });
    expect(holder.get().account.tokenLifetimeSeconds).toBe(5);
    expect(saves).toBe(1);
  });

  it("hands out a frozen account: a request cannot change the configuration", () => {
    const holder = new AccountHolder(createDefaultAccount());
    const { account } = holder.get();
    expect(Object.isFrozen(account)).toBe(true);
    expect(Object.isFrozen(account.apis.localhost)).toBe(true);
    expect(() => {
      (account as { tokenLifetimeSeconds: number }).tokenLifetimeSeconds = 1;
    }).toThrow(TypeError);
  });
});
