import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startServiceProcess } from "@shapes/test-stack";

/** The service's entry point, run from source (node --import tsx: one process, no wrapper). */
const MAIN = fileURLToPath(new URL("../../src/main.ts", import.meta.url));
const APP_DIR = fileURLToPath(new URL("../..", import.meta.url));

export interface RunningAttest {
  url: string;
  child: ChildProcess;
  /** Everything printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, or `signal`; resolves once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface ExitedAttest {
  code: number | null;
  output: string;
}

/** attest's environment for a test: a free port, `dataDir`, memory state unless `env` says. */
const attestEnv = (dataDir: string, env: Record<string, string>): Record<string, string> => ({
  ATTEST_PORT: "0",
  HOST: "127.0.0.1",
  ATTEST_DATA_DIR: dataDir,
  // The in-memory store unless a test names a Redis (a developer's own REDIS_URL is ignored).
  REDIS_URL: "",
  ...env,
});

function spawnAttest(
  dataDir: string,
  env: Record<string, string>,
): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    cwd: APP_DIR,
    env: { ...process.env, ...attestEnv(dataDir, env) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  return { child, output: () => text };
}

/** Starts the real attest process on a free port over `dataDir`, with `env` added. */
export function startAttest(
  dataDir: string,
  timeoutMs = 20_000,
  env: Record<string, string> = {},
): Promise<RunningAttest> {
  return startServiceProcess({
    name: "attest",
    args: ["--import", "tsx", MAIN],
    env: attestEnv(dataDir, env),
    cwd: APP_DIR,
    timeoutMs,
  });
}

/** Runs attest expecting it to refuse to start; resolves its exit code and output. */
export function runAttestToExit(
  dataDir: string,
  timeoutMs = 20_000,
  env: Record<string, string> = {},
): Promise<ExitedAttest> {
  const { child, output } = spawnAttest(dataDir, env);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`attest kept running:\n${output()}`));
    }, timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output: output() });
    });
  });
}
