import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type ServiceProcess, startServiceProcess } from "@shapes/test-stack";
import { calculateJwkThumbprint } from "jose";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  dpopProof,
  ENCRYPTION_SECRET_BASE64,
  encryptToken,
  nowSeconds,
  SECRET_BASE64,
  sessionKey,
  sha256url,
  signToken,
} from "./helpers.js";

const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));

/** Only PATH from the parent, so an APPROOV_SECRET set in the shell cannot leak in. */
function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? "", ...extra };
}

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runToExit(env: NodeJS.ProcessEnv): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const running: ServiceProcess[] = [];

/** The built service on a free port, stopped after the test. */
async function start(env: Record<string, string>): Promise<ServiceProcess> {
  const service = await startServiceProcess({
    name: "shapes-api",
    args: [MAIN],
    env: baseEnv(env) as Record<string, string>,
    replaceEnv: true,
  });
  running.push(service);
  return service;
}
afterEach(() => {
  for (const service of running.splice(0)) void service.stop();
});

describe("node dist/main.js", () => {
  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run the build first`);
  });

  it("exits 1 naming APPROOV_SECRET when it is not set", async () => {
    const result = await runToExit(baseEnv({ SHAPES_PORT: "0" }));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/APPROOV_SECRET/);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stdout).not.toMatch(/listening/);
  });

  it("exits 1 for an invalid APPROOV_SECRET without printing its value", async () => {
    const value = "dGhpcy1pcy10b28tc2hvcnQ=";
    const result = await runToExit(baseEnv({ SHAPES_PORT: "0", APPROOV_SECRET: value }));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/APPROOV_SECRET is invalid/);
    expect(result.stderr + result.stdout).not.toContain(value);
  });

  it("serves over a real socket with a valid secret", async () => {
    const service = await start({ SHAPES_PORT: "0", APPROOV_SECRET: SECRET_BASE64 });
    const { url, child } = service;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const health = await fetch(`${url}/healthz`);
    expect(await health.json()).toEqual({ status: "ok" });
    const shapes = await fetch(`${url}/v2/shapes`, {
      headers: { "Approov-Token": await signToken() },
    });
    expect(shapes.status).toBe(200);
    expect(((await shapes.json()) as { status: string }).status).toMatch(
      /^(Circle|Rectangle|Square|Triangle) \(approoved\)$/,
    );
    const refused = await fetch(`${url}/v2/shapes`);
    expect(refused.status).toBe(400);

    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  it("checks JWE tokens and DPoP proofs over a real socket", async () => {
    const { url } = await start({
      SHAPES_PORT: "0",
      APPROOV_SECRET: SECRET_BASE64,
      APPROOV_ENCRYPTION_SECRET: ENCRYPTION_SECRET_BASE64,
    });

    const jwe = await encryptToken();
    expect((await fetch(`${url}/v2/shapes`, { headers: { "Approov-Token": jwe } })).status).toBe(
      200,
    );

    // htu is the URL the client called: the server sees it through the Host header.
    const key = await sessionKey();
    const token = await signToken({
      exp: nowSeconds() + 300,
      cnf: { jkt: await calculateJwkThumbprint(key.jwk, "sha256") },
    });
    const htu = `${url}/v2/dpop/shapes`;
    const proof = await dpopProof(key, { htm: "GET", htu, ath: sha256url(token) });
    const ok = await fetch(htu, { headers: { "Approov-Token": token, DPoP: proof } });
    expect(ok.status).toBe(200);
    const replayed = await fetch(htu, { headers: { "Approov-Token": token, DPoP: proof } });
    expect(replayed.status).toBe(401);
    expect(replayed.headers.get("www-authenticate")).toContain('error_description="replayed"');
  });
});
