import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";

export interface ServiceProcessOptions {
  /**
   * The name it prints: `<name> listening on <url>` (what @shapes/node-service prints);
   * without one, the first `listening on <url>` line.
   */
  name?: string;
  /** `node` arguments: the script, or e.g. `["--import", "tsx", "src/main.ts"]`. */
  args: readonly string[];
  /** Added to this process's environment (its port variable is usually "0"). */
  env?: Record<string, string>;
  /** The whole environment instead of this process's plus `env`. */
  replaceEnv?: boolean;
  cwd?: string;
  /** How long it may take to listen (default 20 s). */
  timeoutMs?: number;
}

export interface ServiceProcess {
  /** Its base URL, e.g. http://127.0.0.1:41234. */
  url: string;
  pid: number;
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr (tests check it for leaks). */
  output(): string;
  /** Resident memory in bytes (Linux /proc). */
  rssBytes(): number;
  /** SIGTERM (or `signal`); resolves once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const regexText = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Starts a service as a child process and resolves once it prints its listening line,
 * with the URL it printed. Rejects, with everything it printed, when it exits first or
 * does not listen in time.
 */
export function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const child = spawn(process.execPath, [...options.args], {
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    env: options.replaceEnv ? { ...options.env } : { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const stop = (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  const name = options.name ?? "service";
  const listening = new RegExp(
    `${options.name ? `${regexText(options.name)} ` : ""}listening on (http://\\S+)`,
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${name} did not listen within ${timeoutMs} ms:\n${text}`));
    }, timeoutMs);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before listening:\n${text}`));
    };
    const onData = (chunk: Buffer) => {
      text += chunk.toString("utf8");
      const url = listening.exec(text)?.[1];
      if (url === undefined) return;
      clearTimeout(timer);
      child.off("exit", onExit);
      resolve({
        url,
        pid: child.pid as number,
        child,
        output: () => text,
        rssBytes: () => {
          const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
          return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
        },
        stop,
      });
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", onExit);
  });
}
