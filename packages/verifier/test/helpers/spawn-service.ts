import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The repository root, where tsx is installed. */
export const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

export interface RunningService {
  url: string;
  stop(): Promise<void>;
}

/**
 * The built entry point of an app (`apps/<app>/dist/<file>.js`), or, when that app was
 * not built, its TypeScript source run through tsx: the test then still talks to the
 * real service code.
 */
export function appEntry(app: string, file: string): string[] {
  const built = fileURLToPath(new URL(`../../../../apps/${app}/dist/${file}.js`, import.meta.url));
  if (existsSync(built)) return [built];
  const source = fileURLToPath(new URL(`../../../../apps/${app}/src/${file}.ts`, import.meta.url));
  return ["--import", "tsx", source];
}

/** Runs an entry to completion (e.g. attest's init.js); rejects on a non-zero exit. */
export function runToExit(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, cwd: REPO_ROOT, stdio: "pipe" });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(output) : reject(new Error(`exit ${code}: ${output}`)),
    );
  });
}

/**
 * Spawns a service on port 0 and reads its URL from the `<name> listening on <url>` line
 * that every app prints when ready.
 */
export function startService(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 20_000,
): Promise<RunningService> {
  const child: ChildProcess = spawn(process.execPath, args, {
    env,
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const listening = new RegExp(`${name} listening on (http://\\S+)`);
  let output = "";
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once("exit", () => done());
      child.kill("SIGTERM");
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${name} did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = listening.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      resolve({ url: match[1], stop });
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before listening:\n${output}`));
    });
  });
}
