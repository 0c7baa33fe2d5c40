import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../bin/approov.js", import.meta.url));
const DIST_MAIN = fileURLToPath(new URL("../../dist/main.js", import.meta.url));
const RUN_TIMEOUT_MS = 15_000;

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** The CLI's whole environment besides PATH (nothing leaks in from the test runner's). */
  env?: Record<string, string>;
  cwd?: string;
  /** Written to stdin, which is then closed (a pipe: not a terminal). */
  input?: string;
  /** Another copy of bin/approov.js to run (default: this package's). */
  bin?: string;
}

function assertBuilt(): void {
  if (!existsSync(DIST_MAIN)) {
    throw new Error("the CLI is not built: run npx turbo run build --filter=@shapes/cli");
  }
}

function collect(
  command: string,
  args: string[],
  options: RunOptions,
  stdinText: string | undefined,
): Promise<Run> {
  assertBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? "", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`approov ${args.join(" ")} did not finish:\n${stdout}\n${stderr}`));
    }, RUN_TIMEOUT_MS);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on("error", () => {}); // the CLI may exit before reading its input
    if (stdinText !== undefined) child.stdin.write(stdinText);
    child.stdin.end();
  });
}

/** Runs the real `approov` binary (bin/approov.js -> dist/main.js) with stdin as a pipe. */
export function approov(args: string[], options: RunOptions = {}): Promise<Run> {
  return collect(process.execPath, [options.bin ?? BIN, ...args], options, options.input);
}

const shellQuote = (word: string) => `'${word.replaceAll("'", "'\\''")}'`;

/**
 * Runs `approov` on a pseudo-terminal (util-linux `script`), typing `typed` into it: how a
 * person answers the YES prompt. stdout and stderr both arrive in `stdout`, with CRLF line
 * ends and the terminal's echo, as on a screen.
 */
export function approovOnTerminal(
  args: string[],
  typed: string,
  options: Omit<RunOptions, "input"> = {},
): Promise<Run> {
  const command = [process.execPath, BIN, ...args].map(shellQuote).join(" ");
  return collect("script", ["-qefc", command, "/dev/null"], options, typed);
}
