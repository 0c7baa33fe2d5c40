import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The service's entry point, run from source (node --import tsx: one process, no wrapper). */
const MAIN = fileURLToPath(new URL("../../src/main.ts", import.meta.url));
const APP_DIR = fileURLToPath(new URL("../..", import.meta.url));
const LISTENING = /attest listening on (http:\/\/\S+)/;

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

function spawnAttest(
  dataDir: string,
  env: Record<string, string>,
): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    cwd: APP_DIR,
    env: {
      ...process.env,
      ATTEST_PORT: "0",
      HOST: "127.0.0.1",
      ATTEST_DATA_DIR: dataDir,
      // The in-memory store unless a test names a Redis (a developer's own REDIS_URL is ignored).
      REDIS_URL: "",
      ...env,
    },
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
  const { child, output } = spawnAttest(dataDir, env);
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const stop = (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop("SIGKILL");
      reject(new Error(`attest did not start within ${timeoutMs} ms:\n${output()}`));
    }, timeoutMs);
    const onData = () => {
      const match = LISTENING.exec(output());
      if (!match?.[1]) return;
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      resolve({ url: match[1], child, output, stop });
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`attest exited with ${code} before listening:\n${output()}`));
    });
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
