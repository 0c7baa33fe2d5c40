import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDefaultAccount } from "../src/account/account.js";
import { accountPath, loadAccount } from "../src/account/account-store.js";
import { adminKeyPath } from "../src/admin/admin-key.js";
import { type RunningAttest, runAttestToExit, startAttest } from "./helpers/start-attest.js";

/**
 * The real service process over a real data directory: changes survive a restart, a
 * kill -9 in the middle of concurrent changes leaves a valid account holding every
 * answered change, and a bad file stops the service with the field named.
 */

let dir: string;
const running: RunningAttest[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "attest-process-"));
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((attest) => attest.stop("SIGKILL")));
  await rm(dir, { recursive: true, force: true });
});

async function start(): Promise<RunningAttest> {
  const attest = await startAttest(dir);
  running.push(attest);
  return attest;
}

async function admin(attest: RunningAttest, method: string, path: string, body?: unknown) {
  const key = (await readFile(adminKeyPath(dir), "utf8")).trim();
  return fetch(`${attest.url}/admin/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

async function account(attest: RunningAttest) {
  const res = await admin(attest, "GET", "/account");
  expect(res.status).toBe(200);
  return (await res.json()) as { apis: Record<string, unknown>; tokenLifetimeSeconds: number };
}

describe("the attest process and its data directory", () => {
  it("creates the admin key (0600, never printed) and keeps changes across a restart", async () => {
    const first = await start();
    const key = (await readFile(adminKeyPath(dir), "utf8")).trim();
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const { stat } = await import("node:fs/promises");
    expect((await stat(adminKeyPath(dir))).mode & 0o777).toBe(0o600);
    expect((await admin(first, "PUT", "/web/lifetimes", { tokenLifetimeSeconds: 42 })).status).toBe(
      200,
    );
    expect(
      (await admin(first, "PUT", "/apis/kept.example", { allowWeb: true, jwe: true })).status,
    ).toBe(200);
    const before = await loadAccount(dir);
    await first.stop();
    expect(first.output()).not.toContain(key);
    expect(first.output()).not.toContain(before?.secret);

    const second = await start();
    const after = await account(second);
    expect(after.tokenLifetimeSeconds).toBe(42);
    expect(after.apis["kept.example"]).toEqual({ allowWeb: true, jwe: true });
    // Same keys: the admin key and the account's secrets did not change.
    expect((await readFile(adminKeyPath(dir), "utf8")).trim()).toBe(key);
    const reloaded = await loadAccount(dir);
    expect(reloaded?.encryptionSecret).toBe(before?.encryptionSecret);
    expect(reloaded?.secret).toBe(before?.secret);
  });

  it("killed (-9) amid concurrent changes: restarts valid, with every answered change, no temp files", async () => {
    const first = await start();
    const key = (await readFile(adminKeyPath(dir), "utf8")).trim();
    const sent = Array.from({ length: 90 }, (_, i) => `crash-${i}.example`);
    const answered: string[] = [];
    const killAfter = 15;
    let killed: Promise<void> | undefined;
    await Promise.all(
      sent.map(async (domain) => {
        try {
          const res = await fetch(`${first.url}/admin/v1/apis/${domain}`, {
            method: "PUT",
            headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
            body: JSON.stringify({ allowWeb: true }),
          });
          if (res.status !== 200) return;
          answered.push(domain);
          if (answered.length === killAfter) killed = first.stop("SIGKILL");
        } catch {
          // cut off by the kill
        }
      }),
    );
    await killed;
    expect(first.child.signalCode).toBe("SIGKILL");
    expect(answered.length).toBeGreaterThanOrEqual(killAfter);
    expect(answered.length).toBeLessThan(sent.length);

    const second = await start();
    const { apis } = await account(second);
    // Every change answered 200 before the kill is there...
    for (const domain of answered) expect(apis).toHaveProperty([domain]);
    // ...and nothing else than what was sent (a change saved but not yet answered may be).
    for (const domain of Object.keys(apis)) {
      expect(["localhost", ...sent]).toContain(domain);
    }
    // The file on disk is valid on its own, and no temp file is left behind.
    expect(await loadAccount(dir)).toBeDefined();
    // (public/ and token-secrets/: what attest publishes for web and the API, by default here.)
    expect((await readdir(dir)).sort()).toEqual([
      "account.json",
      "admin.key",
      "public",
      "token-secrets",
    ]);
  });

  it("removes a crashed writer's temp file at start", async () => {
    await writeFile(accountPath(dir), JSON.stringify(createDefaultAccount()), { mode: 0o600 });
    // A pid far above Linux's pid_max (4194304): no such process.
    const leftover = ".account.json.99999999.0123456789ab.tmp";
    await writeFile(join(dir, leftover), '{"half": "writ');
    const attest = await start();
    expect(await readdir(dir)).not.toContain(leftover);
    await attest.stop();
  });

  it("refuses to start with a bad field, naming it", async () => {
    const bad = createDefaultAccount() as unknown as Record<string, unknown>;
    bad.fingerprint = {
      optional: true,
      subscriptions: { fp1: { secret: "s", region: "US" } },
    };
    await writeFile(accountPath(dir), JSON.stringify(bad), { mode: 0o600 });
    const { code, output } = await runAttestToExit(dir);
    expect(code).toBe(1);
    // One structured line, like every line of the service.
    expect(
      output
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line)),
    ).toEqual([
      {
        time: expect.any(String),
        level: "fatal",
        msg: 'attest: account.json: fingerprint.subscriptions["fp1"].region must be RoW or EU',
      },
    ]);
  });
});
