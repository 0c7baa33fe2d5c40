import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type ServiceProcess, startServiceProcess } from "@shapes/test-stack";

const SANDBOX_MAIN = fileURLToPath(
  new URL("../../apps/captcha-sandbox/dist/main.js", import.meta.url),
);

export type SandboxProcess = ServiceProcess;

/** The real captcha sandbox on a free port: attest checks hCaptcha results with it. */
export async function startSandbox(): Promise<SandboxProcess> {
  if (!existsSync(SANDBOX_MAIN)) {
    throw new Error(`the sandbox is not built (${SANDBOX_MAIN}): run npx turbo run build`);
  }
  return startServiceProcess({
    name: "captcha-sandbox",
    args: [SANDBOX_MAIN],
    env: { PATH: process.env.PATH ?? "", SANDBOX_PORT: "0", HOST: "127.0.0.1" },
    replaceEnv: true,
  });
}
