import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLEAR_SCREEN } from "../../packages/cli/src/commands/metrics.js";
import {
  approov,
  approovOnTerminal,
  type RunOptions,
} from "../../packages/cli/test/helpers/run-approov.js";
import { type AttestProcess, startAttest } from "./attest-process.js";
import { type SandboxProcess, startSandbox } from "./sandbox-process.js";

const BIN = fileURLToPath(new URL("../../packages/cli/bin/approov.js", import.meta.url));
// hCaptcha's test keys (the sandbox honours them): the publisher key passes, the
// enterprise bot key scores 1 and the default account's minScore 0.5 refuses it.
const PUBLISHER = ["10000000-ffff-ffff-ffff-000000000001", "10000000-aaaa-bbbb-cccc-000000000001"];
const BOT = ["30000000-ffff-ffff-ffff-000000000003", "30000000-aaaa-bbbb-cccc-000000000003"];
const SAFE = ["20000000-ffff-ffff-ffff-000000000002", "20000000-aaaa-bbbb-cccc-000000000002"];

let sandbox: SandboxProcess;
let attest: AttestProcess;
let run: (args: string[], options?: RunOptions) => ReturnType<typeof approov>;
let siteKey: string;

async function attestRequest(form: [string, string][]): Promise<number> {
  const res = await fetch(`${attest.url}/attest`, {
    method: "POST",
    body: new URLSearchParams(form),
  });
  await res.arrayBuffer();
  return res.status;
}

const hcaptcha = ([key, token]: string[], apis = ["localhost"]): [string, string][] => [
  ...apis.map((api): [string, string] => ["api", api]),
  ["approov-site-key", siteKey],
  ["hcaptcha-site-key", key as string],
  ["hcaptcha-token", token as string],
];

beforeAll(async () => {
  sandbox = await startSandbox();
  attest = await startAttest({ HCAPTCHA_SITEVERIFY_URL: `${sandbox.url}/siteverify` });
  siteKey = (await attest.accountFile()).siteKey as string;
  run = (args, options = {}) =>
    approov(args, {
      cwd: attest.projectDir,
      ...options,
      env: { APPROOV_ATTEST_URL: attest.url, APPROOV_ASSUME_YES: "1", ...options.env },
    });
  // Activity: two valid, one invalid, one refused by a rate limit, one error.
  const limited = await run([
    "web",
    "-hcaptcha",
    "-add",
    SAFE[0] as string,
    "-secret",
    "0x0000000000000000000000000000000000000000",
    "-rateLimit",
    "1",
  ]);
  expect(limited.code).toBe(0);
  const statuses = [
    await attestRequest(hcaptcha(PUBLISHER)),
    await attestRequest(hcaptcha(BOT)),
    await attestRequest(hcaptcha(SAFE)),
    await attestRequest(hcaptcha(SAFE)),
    await attestRequest([
      ["api", "unknown.example"],
      ["approov-site-key", siteKey],
    ]),
  ];
  expect(statuses).toEqual([200, 200, 200, 429, 400]);
});
afterAll(async () => {
  await attest?.stop();
  await sandbox?.stop();
});

describe("approov metrics (real binary, real attest)", () => {
  it("prints the Live: Web App Activity table with -summary", async () => {
    const result = await run(["metrics", "-summary"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe("Live: Web App Activity");
    expect(lines[1]).toMatch(
      new RegExp(`^attest ${attest.url.replaceAll(".", "\\.")}, counting since \\S+, as of \\S+$`),
    );
    const row = (name: string) =>
      lines
        .find((line) => line.trimStart().startsWith(`${name} `))
        ?.trim()
        .split(/\s{2,}/);
    // The activity happened within the last minute: both columns agree.
    expect(row("requests")).toEqual(["requests", "5", "5"]);
    expect(row("valid")).toEqual(["valid", "2", "2"]);
    expect(row("invalid")).toEqual(["invalid", "1", "1"]);
    expect(row("errors")).toEqual(["errors", "2", "2"]);
    expect(row("hcap-token-check")).toEqual(["hcap-token-check", "1", "1"]);
    expect(row("aprv-api-not-found")).toEqual(["aprv-api-not-found", "1", "1"]);
    expect(row("rate-limited")).toEqual(["rate-limited", "1", "1"]);
    expect(row("hcaptcha")?.slice(0, 4)).toEqual(["hcaptcha", "2", "1", "1"]);
    expect(row("none")).toEqual(["none", "0", "0", "1"]);
    expect(row("localhost")).toEqual(["localhost", "2", "1", "1"]);
    expect(row("other")).toEqual(["other", "0", "0", "1"]);
    // Upstream: three siteverify calls (the refused one made none).
    const upstream = lines.slice(lines.findIndex((line) => line.startsWith("upstream checks")));
    expect(upstream[0]?.split(/\s{2,}/)).toEqual(["upstream checks", "count", "p50 ms", "p95 ms"]);
    expect(upstream[1]).toMatch(/^ {2}hcaptcha\s+3\s+\d+\.\d\s+\d+\.\d$/);
    expect(result.stdout).not.toContain(await attest.adminKey());
  });

  it("prints the portal's URL (no ticket off a terminal, no browser), which serves the page", async () => {
    const result = await run(["metrics"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe(`Metrics portal: ${attest.url}/admin/v1/portal`);
    expect(result.stdout).not.toContain("ticket");
    expect(result.stdout).not.toContain(await attest.adminKey());
    const page = await fetch(`${attest.url}/admin/v1/portal`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Summary: Monthly Activity");
  });

  it("at a terminal, opens the browser (xdg-open) with a one-time ticket that opens a session", async () => {
    // A stand-in xdg-open on PATH that writes down the URL it was given.
    const bin = await mkdtemp(join(tmpdir(), "approov-opener-"));
    const opened = join(bin, "opened-url");
    await writeFile(join(bin, "xdg-open"), `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`, {
      mode: 0o755,
    });
    const env = { PATH: `${bin}:${process.env.PATH ?? ""}`, APPROOV_ATTEST_URL: attest.url };
    try {
      const result = await approovOnTerminal(["metrics"], "", { cwd: attest.projectDir, env });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Metrics portal: ${attest.url}/admin/v1/portal\r\n`);
      expect(result.stdout).toContain("Opened in your browser, signed in for 2 hours (read-only).");
      expect(result.stdout).not.toContain("ticket");
      let url = "";
      for (let i = 0; i < 100 && url === ""; i++) {
        url = await readFile(opened, "utf8").catch(() => "");
        if (url === "") await new Promise((done) => setTimeout(done, 50));
      }
      const [page, ticket] = url.split("#ticket=");
      expect(page).toBe(`${attest.url}/admin/v1/portal`);
      expect(ticket).toMatch(/^apt_[A-Za-z0-9_-]{43}$/);
      const exchange = () =>
        fetch(`${attest.url}/admin/v1/portal/sessions`, {
          method: "POST",
          headers: { authorization: `Bearer ${ticket}` },
        });
      expect((await exchange()).status).toBe(201);
      expect((await exchange()).status).toBe(401);

      // CI set: no browser; on a terminal the signed-in link is printed to open by hand.
      await rm(opened);
      const ci = await approovOnTerminal(["metrics"], "", {
        cwd: attest.projectDir,
        env: { ...env, CI: "true" },
      });
      expect(ci.code).toBe(0);
      expect(ci.stdout).toMatch(
        /Open it signed in \(once, within 60 s\): http:\/\/\S+\/admin\/v1\/portal#ticket=apt_/,
      );
      const noBrowser = await approovOnTerminal(["metrics", "-noBrowser"], "", {
        cwd: attest.projectDir,
        env,
      });
      expect(noBrowser.stdout).toContain("Open it signed in");
      expect(await readFile(opened, "utf8").catch(() => "none")).toBe("none");
    } finally {
      await rm(bin, { recursive: true, force: true });
    }
  }, 30_000);

  it("-json prints the summary as attest answers it, on one line", async () => {
    const result = await run(["metrics", "-JSON"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\{.*\}\n$/);
    const summary = JSON.parse(result.stdout);
    expect(summary.total).toEqual({
      requests: 5,
      valid: 2,
      invalid: 1,
      errors: { "hcap-token-check": 1, "aprv-api-not-found": 1, "aprv-no-web-protect-params": 1 },
      rateLimited: 1,
    });
    expect(summary.window.seconds).toBe(60);
    expect(summary.byApi.localhost).toEqual({ valid: 2, invalid: 1, error: 1 });
    expect(summary.upstream.hcaptcha.count).toBe(3);
    // The same answer the admin API gives.
    const res = await fetch(`${attest.url}/admin/v1/metrics/summary`, {
      headers: { authorization: `Bearer ${await attest.adminKey()}` },
    });
    const direct = (await res.json()) as { total: unknown; since: string };
    expect(direct.total).toEqual(summary.total);
    expect(direct.since).toBe(summary.since);
  });

  it("-watch refreshes until Ctrl+C, then exits 0", async () => {
    const child = spawn(process.execPath, [BIN, "metrics", "-watch", "1"], {
      cwd: attest.projectDir,
      env: { PATH: process.env.PATH ?? "", APPROOV_ATTEST_URL: attest.url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const refreshes = () => stdout.split("Live: Web App Activity").length - 1;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no second refresh:\n${stdout}`)), 10_000);
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (refreshes() >= 2) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    // A new request shows in the next refresh.
    expect(await attestRequest(hcaptcha(PUBLISHER))).toBe(200);
    const seen = refreshes();
    await new Promise<void>((resolve) => {
      const check = () => {
        if (refreshes() > seen) {
          child.stdout.off("data", check);
          resolve();
        }
      };
      child.stdout.on("data", check);
    });
    const code = await new Promise<number | null>((resolve) => {
      child.once("close", (status) => resolve(status));
      child.kill("SIGINT");
    });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    // Not a terminal: no screen clearing, refreshes separated by a blank line.
    expect(stdout).not.toContain(CLEAR_SCREEN);
    expect(stdout).toContain("\n\nLive: Web App Activity\n");
    const last = stdout.slice(stdout.lastIndexOf("Live: Web App Activity"));
    expect(last).toMatch(/\n {2}valid\s+\d+\s+3\n/);
  });

  it("reports a wrong admin key and an unreachable service like the other commands", async () => {
    const wrong = await run(["metrics"], { env: { APPROOV_ADMIN_KEY: "not-the-key" } });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toBe("");
    expect(wrong.stderr).toBe(
      `approov: the admin key was not accepted (APPROOV_ADMIN_KEY or ${join(attest.dataDir, "admin.key")})\n`,
    );
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const { port } = server.address() as { port: number };
    await new Promise((done) => server.close(done));
    const down = await run(["metrics", "-watch", "2"], {
      env: { APPROOV_ATTEST_URL: `http://127.0.0.1:${port}` },
    });
    expect(down).toEqual({
      code: 1,
      stdout: "",
      stderr: `approov: cannot reach the attest service at http://127.0.0.1:${port} (is it running? npm start)\n`,
    });
  });

  it("refuses bad flags with exit 2", async () => {
    expect(await run(["metrics", "-watch", "0.5"])).toEqual({
      code: 2,
      stdout: "",
      stderr: 'approov: watch must be between 1 and 3600 seconds, got "0.5"\n',
    });
    expect((await run(["metrics", "-list"])).stderr).toBe(
      'approov: unknown flag -list for "approov metrics" (see approov metrics -help)\n',
    );
    const help = await run(["metrics", "-help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("approov metrics [-json] [-watch <seconds>]");
  });
});
