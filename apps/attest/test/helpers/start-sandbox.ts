import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The captcha sandbox's built entry point (apps/captcha-sandbox, built by turbo first). */
export const SANDBOX_MAIN = fileURLToPath(
  new URL("../../../captcha-sandbox/dist/main.js", import.meta.url),
);

export interface RunningSandbox {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  siteverifyUrl: string;
  /** Asks the sandbox for a fresh single-use token, as its browser widget does. */
  execute(sitekey: string, host?: string): Promise<{ response: string; key: string }>;
  stop(): Promise<void>;
}

const LISTENING = /captcha-sandbox listening on (http:\/\/\S+)/;

/**
 * Spawns the real sandbox process on a free port (SANDBOX_PORT=0) and reads its
 * URL from the startup line it prints.
 */
export function startSandbox(timeoutMs = 10_000): Promise<RunningSandbox> {
  if (!existsSync(SANDBOX_MAIN)) {
    return Promise.reject(
      new Error(`${SANDBOX_MAIN} is missing: build apps/captcha-sandbox first`),
    );
  }
  const child: ChildProcess = spawn(process.execPath, [SANDBOX_MAIN], {
    env: { ...process.env, SANDBOX_PORT: "0", HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
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
      reject(new Error(`captcha-sandbox did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = LISTENING.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      const url = match[1];
      resolve({
        url,
        siteverifyUrl: `${url}/siteverify`,
        async execute(sitekey, host = "localhost") {
          const res = await fetch(`${url}/1/execute`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ sitekey, host }),
          });
          if (!res.ok) throw new Error(`execute answered HTTP ${res.status}`);
          return (await res.json()) as { response: string; key: string };
        },
        stop,
      });
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`captcha-sandbox exited with ${code} before listening:\n${output}`));
    });
  });
}
