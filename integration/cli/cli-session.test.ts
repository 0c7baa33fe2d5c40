import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_WARNING, ATTENTION, WEB_WARNING } from "../../packages/cli/src/confirm.js";
import { approov, approovOnTerminal } from "../../packages/cli/test/helpers/run-approov.js";
import { type AttestProcess, startAttest } from "./attest-process.js";

// The parts around every command: help, the YES prompt, finding and sending the admin key,
// and an unreachable service.

let attest: AttestProcess;
let env: Record<string, string>;

beforeAll(async () => {
  attest = await startAttest();
  env = { APPROOV_ATTEST_URL: attest.url };
});
afterAll(async () => {
  await attest?.stop();
});

async function apis(): Promise<string[]> {
  return Object.keys((await attest.accountFile()).apis as object);
}

/** A port nothing listens on: bound by us, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

describe("help and commands", () => {
  it("prints the usage on stderr with exit 2 when there is no command", async () => {
    const result = await approov([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^usage: approov <command> \[flags\]\n/);
  });

  it("prints help with exit 0: approov help, approov <cmd> -help, approov help <cmd>", async () => {
    const main = await approov(["help"]);
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(/^usage: approov <command>/);
    for (const args of [
      ["web", "-help"],
      ["web", "--HELP"],
      ["help", "web"],
      ["web", "-add", "-h"],
    ]) {
      const result = await approov(args);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("approov web -hcaptcha -add <site key> -secret <secret>");
      expect(result.stdout).toContain("-maxBotProbability <0..1>");
    }
    expect((await approov(["api", "-help"])).stdout).toContain(
      "approov api -add <domain> [-allowWeb] [-jwe] [-yes]",
    );
    expect((await approov(["token", "-help"])).stdout).toContain("-setDataHashInToken <value>");
  });

  it("refuses an unknown command with exit 2", async () => {
    expect(await approov(["metric"])).toEqual({
      code: 2,
      stdout: "",
      stderr:
        'approov: unknown command "metric" (commands: api, web, token, metrics, sdk; see approov help)\n',
    });
  });

  it("accepts the command word in any case", async () => {
    const result = await approov(["API", "-LIST"], { env, cwd: attest.projectDir });
    expect(result).toEqual({ code: 0, stdout: "localhost: alg:HS256, web\n", stderr: "" });
  });
});

describe("the YES confirmation", () => {
  it("goes ahead on a terminal when the user types YES", async () => {
    const result = await approovOnTerminal(["api", "-add", "typed.example", "-allowWeb"], "YES\n", {
      env,
      cwd: attest.projectDir,
    });
    expect(result.code).toBe(0);
    const screen = result.stdout.replaceAll("\r", "");
    expect(screen).toContain(`${API_WARNING}\n`);
    expect(screen).toContain(ATTENTION);
    expect(screen).toContain(
      "added API domain typed.example with type:account, alg:HS256\nweb protection enabled for typed.example\n",
    );
    expect(await apis()).toContain("typed.example");
  });

  it("asks with the web warning for web changes", async () => {
    const result = await approovOnTerminal(["web", "-setTokenLifetime", "60"], "YES\n", {
      env,
      cwd: attest.projectDir,
    });
    expect(result.code).toBe(0);
    const screen = result.stdout.replaceAll("\r", "");
    expect(screen).toContain(`${WEB_WARNING}\n`);
    expect(screen).toContain("Token Lifetime: 60 seconds\n");
    expect((await attest.accountFile()).tokenLifetimeSeconds).toBe(60);
  });

  it.each(["no\n", "yes\n", "\n"])("aborts on %j and changes nothing", async (typed) => {
    const result = await approovOnTerminal(["api", "-add", "refused.example"], typed, {
      env,
      cwd: attest.projectDir,
    });
    expect(result.code).toBe(1);
    expect(result.stdout.replaceAll("\r", "")).toContain("approov: aborted: nothing changed\n");
    expect(result.stdout).not.toContain("added API domain");
    expect(await apis()).not.toContain("refused.example");
  });

  it("refuses a change without a terminal and without -yes, even with YES piped in", async () => {
    const result = await approov(["api", "-add", "piped.example"], {
      env,
      cwd: attest.projectDir,
      input: "YES\n",
    });
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "approov: this command changes the account; run it in a terminal to confirm, or add -yes\n",
    });
    expect(await apis()).not.toContain("piped.example");
  });

  it("goes ahead without asking with -yes or APPROOV_ASSUME_YES=1", async () => {
    const flag = await approov(["api", "-add", "flag.example", "-yes"], {
      env,
      cwd: attest.projectDir,
    });
    expect(flag).toEqual({
      code: 0,
      stdout: "added API domain flag.example with type:account, alg:HS256\n",
      stderr: "",
    });
    const fromEnv = await approov(["web", "-hcaptcha", "-setRequired"], {
      env: { ...env, APPROOV_ASSUME_YES: "1" },
      cwd: attest.projectDir,
    });
    expect(fromEnv).toEqual({ code: 0, stdout: "hcaptcha is now required\n", stderr: "" });
    const bad = await approov(["web", "-hcaptcha", "-setOptional"], {
      env: { ...env, APPROOV_ASSUME_YES: "sure" },
      cwd: attest.projectDir,
    });
    expect(bad).toEqual({
      code: 1,
      stdout: "",
      stderr: 'approov: APPROOV_ASSUME_YES must be 1 or 0, got "sure"\n',
    });
  });

  it("does not ask before a listing", async () => {
    const result = await approov(["web", "-list"], { env, cwd: attest.projectDir });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("WARNING");
  });
});

describe("the admin key and the service", () => {
  it("finds the key in ATTEST_DATA_DIR from any directory", async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), "approov-elsewhere-"));
    try {
      const result = await approov(["api", "-list"], {
        env: { ...env, ATTEST_DATA_DIR: attest.dataDir },
        cwd: elsewhere,
      });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("localhost: alg:HS256, web\n");

      const missing = await approov(["api", "-list"], { env, cwd: elsewhere });
      expect(missing).toEqual({
        code: 1,
        stdout: "",
        stderr: `approov: no admin key: set APPROOV_ADMIN_KEY or run from the project directory after npm start (looked in ${join(elsewhere, ".data", "admin.key")})\n`,
      });
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it("uses APPROOV_ADMIN_KEY over the file, and reports a key attest does not accept", async () => {
    const key = await attest.adminKey();
    const good = await approov(["api", "-list"], {
      env: { ...env, APPROOV_ADMIN_KEY: key, ATTEST_DATA_DIR: "/nonexistent" },
    });
    expect(good.code).toBe(0);

    const wrong = await approov(["api", "-list"], {
      env: { ...env, APPROOV_ADMIN_KEY: "not-the-admin-key" },
      cwd: attest.projectDir,
    });
    expect(wrong).toEqual({
      code: 1,
      stdout: "",
      stderr: `approov: the admin key was not accepted (APPROOV_ADMIN_KEY or ${join(attest.dataDir, "admin.key")})\n`,
    });
    // A rejected change changes nothing.
    const change = await approov(["api", "-add", "wrongkey.example", "-yes"], {
      env: { ...env, APPROOV_ADMIN_KEY: "not-the-admin-key" },
    });
    expect(change.code).toBe(1);
    expect(await apis()).not.toContain("wrongkey.example");
    // The key itself is never printed.
    for (const result of [good, wrong, change]) {
      expect(result.stdout + result.stderr).not.toContain(key);
    }
  });

  it("says when the service cannot be reached", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const result = await approov(["web", "-list"], {
      env: { APPROOV_ATTEST_URL: url, APPROOV_ADMIN_KEY: "k" },
    });
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr: `approov: cannot reach the attest service at ${url} (is it running? npm start)\n`,
    });
  });

  it("refuses a bad APPROOV_ATTEST_URL", async () => {
    const result = await approov(["web", "-list"], {
      env: { APPROOV_ATTEST_URL: "attest:8001", APPROOV_ADMIN_KEY: "k" },
    });
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr: 'approov: APPROOV_ATTEST_URL must be an http(s) URL, got "attest:8001"\n',
    });
  });
});
