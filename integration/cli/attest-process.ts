import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startServiceProcess } from "@shapes/test-stack";

const ATTEST_DIST = fileURLToPath(new URL("../../apps/attest/dist/", import.meta.url));
const STARTUP_TIMEOUT_MS = 15_000;

export interface AttestProcess {
  /** Base URL, e.g. http://127.0.0.1:41234. */
  url: string;
  /** A project directory whose `.data` is attest's data directory (the CLI's default). */
  projectDir: string;
  dataDir: string;
  /** Everything attest printed so far (to check no secret ever appears in its log). */
  output(): string;
  /** The persisted account, as attest wrote it (secrets included: for assertions only). */
  accountFile(): Promise<Record<string, unknown>>;
  adminKey(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A real attest process over a fresh data directory: `init.js` first (it writes the account
 * and admin.key), then `main.js` on a free port, parsed from its "listening on <url>" line.
 */
export async function startAttest(extraEnv: Record<string, string> = {}): Promise<AttestProcess> {
  const main = join(ATTEST_DIST, "main.js");
  if (!existsSync(main)) {
    throw new Error(`attest is not built (${main}): run npx turbo run build --filter=@shapes/cli`);
  }
  const projectDir = await mkdtemp(join(tmpdir(), "approov-cli-"));
  const dataDir = join(projectDir, ".data");
  const env = {
    PATH: process.env.PATH ?? "",
    ATTEST_DATA_DIR: dataDir,
    ATTEST_PORT: "0",
    HOST: "127.0.0.1",
    ...extraEnv,
  };
  await promisify(execFile)(process.execPath, [join(ATTEST_DIST, "init.js")], { env });

  const service = await startServiceProcess({
    name: "attest",
    args: [main],
    env,
    replaceEnv: true,
    timeoutMs: STARTUP_TIMEOUT_MS,
  });

  return {
    url: service.url,
    projectDir,
    dataDir,
    output: service.output,
    accountFile: async () => JSON.parse(await readFile(join(dataDir, "account.json"), "utf8")),
    adminKey: async () => (await readFile(join(dataDir, "admin.key"), "utf8")).trim(),
    stop: async () => {
      await service.stop();
      await rm(projectDir, { recursive: true, force: true });
    },
  };
}
