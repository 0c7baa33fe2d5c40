import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const SANDBOX_MAIN = fileURLToPath(
  new URL("../../../../apps/captcha-sandbox/dist/main.js", import.meta.url),
);
const STARTUP_TIMEOUT_MS = 15_000;

export interface SandboxProcess {
  url: string;
  stop(): Promise<void>;
}

/** The real captcha sandbox on a free port: attest checks hCaptcha results with it. */
export async function startSandbox(): Promise<SandboxProcess> {
  if (!existsSync(SANDBOX_MAIN)) {
    throw new Error(`the sandbox is not built (${SANDBOX_MAIN}): run npx turbo run build`);
  }
  const child: ChildProcess = spawn(process.execPath, [SANDBOX_MAIN], {
    env: { PATH: process.env.PATH ?? "", SANDBOX_PORT: "0", HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the sandbox did not start within ${STARTUP_TIMEOUT_MS} ms:\n${output}`));
    }, STARTUP_TIMEOUT_MS);
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the sandbox exited (${code}) before listening:\n${output}`));
    });
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((done) => child.once("exit", done));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
