import { type ChildProcess, spawn } from "node:child_process";

export interface RunningProcess {
  url: string;
  /** Everything the process printed (for failure messages; tests also check it for leaks). */
  output(): string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 15_000;

/**
 * Starts `node <script>` and resolves once it prints `<name> listening on <url>`
 * (what @shapes/node-service prints), with that URL.
 */
export function startNodeService(
  name: string,
  script: string,
  env: Record<string, string>,
  cwd: string,
): Promise<RunningProcess> {
  const child = spawn(process.execPath, [script], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${name} did not start within ${READY_TIMEOUT_MS} ms:\n${output}`));
    }, READY_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const match = new RegExp(`${name} listening on (\\S+)`).exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ url: match[1], output: () => output, stop: () => stop(child) });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before listening:\n${output}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}
