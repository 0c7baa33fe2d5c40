import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { accountPath, loadAccount } from "../src/account/account-store.js";
import { initOptions } from "../src/account/init-args.js";

/** `init --empty` (and ATTEST_INIT_EMPTY=1): the quickstart's empty starting point. */

const SCRIPT = fileURLToPath(new URL("../src/init.ts", import.meta.url));
const TSX = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "attest-init-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

interface Run {
  code: number;
  lines: Record<string, unknown>[];
}

async function init(args: string[], env: Record<string, string> = {}): Promise<Run> {
  try {
    const { stdout } = await promisify(execFile)(TSX, [SCRIPT, ...args], {
      env: { ...process.env, ATTEST_DATA_DIR: dir, ATTEST_INIT_EMPTY: "", ...env },
    });
    return { code: 0, lines: parse(stdout) };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, lines: parse(failed.stdout) };
  }
}

const parse = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe("init --empty", () => {
  for (const [how, args, env] of [
    ["--empty", ["--empty"], {}],
    ["ATTEST_INIT_EMPTY=1", [], { ATTEST_INIT_EMPTY: "1" }],
  ] as const) {
    it(`${how}: an account with keys and lifetimes, no API, no web protection entry`, async () => {
      const run = await init([...args], env);
      expect(run.code).toBe(0);
      const account = await loadAccount(dir);
      expect(account).toMatchObject({
        version: 1,
        tokenLifetimeSeconds: 120,
        refreshTokenLifetimeSeconds: 7200,
        apis: {},
        hcaptcha: { optional: true, sites: {} },
        recaptcha: { optional: true, sites: {} },
        fingerprint: { optional: true, subscriptions: {} },
      });
      expect(account?.siteKey).toMatch(/^[0-9a-f-]{36}$/);
      expect(Buffer.from(account?.secret ?? "", "base64")).toHaveLength(32);
      expect(Buffer.from(account?.encryptionSecret ?? "", "base64")).toHaveLength(32);
      expect((await readFile(join(dir, "admin.key"), "utf8")).trim()).toMatch(
        /^[A-Za-z0-9_-]{43}$/,
      );
      expect(run.lines).toEqual([
        {
          time: expect.any(String),
          level: "info",
          msg: "Approov account ready",
          dataDir: dir,
          siteKey: account?.siteKey,
          empty: true,
        },
      ]);
    });
  }

  it("never empties an existing account; without --empty nothing changes", async () => {
    expect((await init([])).code).toBe(0);
    const before = await readFile(accountPath(dir), "utf8");
    expect(Object.keys((await loadAccount(dir))?.apis ?? {})).toEqual(["localhost"]);
    const again = await init(["--empty"]);
    expect(again.code).toBe(0);
    expect(again.lines[0]?.empty).toBe(false);
    expect(await readFile(accountPath(dir), "utf8")).toBe(before);
  });

  it("refuses unknown arguments and bad ATTEST_INIT_EMPTY values, creating nothing", async () => {
    for (const [args, env, named] of [
      [["--empyt"], {}, '"--empyt"'],
      [["--empty", "extra"], {}, '"extra"'],
      [[], { ATTEST_INIT_EMPTY: "yes" }, "ATTEST_INIT_EMPTY must be 1 or 0"],
    ] as const) {
      const run = await init([...args], env);
      expect(run.code).toBe(2);
      expect(run.lines).toHaveLength(1);
      expect(run.lines[0]?.level).toBe("fatal");
      expect(run.lines[0]?.msg).toContain(named);
      expect(run.lines[0]?.msg).toContain("usage: node dist/init.js [--empty]");
      expect(await loadAccount(dir)).toBeUndefined();
    }
    expect(initOptions([], { ATTEST_INIT_EMPTY: "0" })).toEqual({ empty: false });
  });
});
