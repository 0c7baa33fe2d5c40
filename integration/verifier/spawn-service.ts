import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startServiceProcess } from "@shapes/test-stack";

/** The repository root, where tsx is installed. */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

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
  const built = fileURLToPath(new URL(`../../apps/${app}/dist/${file}.js`, import.meta.url));
  if (existsSync(built)) return [built];
  const source = fileURLToPath(new URL(`../../apps/${app}/src/${file}.ts`, import.meta.url));
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

/** A service on port 0, started by the shared test-stack helper from the repository root. */
export function startService(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 20_000,
): Promise<RunningService> {
  return startServiceProcess({
    name,
    args,
    env: env as Record<string, string>,
    replaceEnv: true,
    cwd: REPO_ROOT,
    timeoutMs,
  });
}
