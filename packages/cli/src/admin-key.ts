import { open } from "node:fs/promises";
import { resolve } from "node:path";
import { CliError } from "./errors.js";

export interface AdminKey {
  /** The key itself: sent as a bearer token, never printed. */
  key: string;
  /** Where it came from, for error messages: `APPROOV_ADMIN_KEY` or the file path. */
  source: string;
  /** The file the key is (or would be) read from. */
  file: string;
}

/** A key file is 43 characters; anything much bigger is not a key file. */
const MAX_KEY_FILE_BYTES = 1024;

/** `${ATTEST_DATA_DIR:-.data}/admin.key`, resolved against the working directory like attest. */
export function adminKeyPath(env: Record<string, string | undefined>, cwd: string): string {
  return resolve(cwd, env.ATTEST_DATA_DIR || ".data", "admin.key");
}

/** The admin key from env `APPROOV_ADMIN_KEY`, else from attest's key file. */
export async function loadAdminKey(
  env: Record<string, string | undefined>,
  cwd: string,
): Promise<AdminKey> {
  const file = adminKeyPath(env, cwd);
  const fromEnv = env.APPROOV_ADMIN_KEY?.trim();
  if (fromEnv) return { key: fromEnv, source: "APPROOV_ADMIN_KEY", file };

  const missing = () =>
    new CliError(
      "no-admin-key",
      `no admin key: set APPROOV_ADMIN_KEY or run from the project directory after npm start (looked in ${file})`,
    );
  let text: string;
  try {
    const handle = await open(file, "r");
    try {
      const buffer = Buffer.alloc(MAX_KEY_FILE_BYTES + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      if (bytesRead > MAX_KEY_FILE_BYTES) {
        throw new CliError("no-admin-key", `${file} is not an admin key file (too large)`);
      }
      text = buffer.subarray(0, bytesRead).toString("utf8").trim();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw missing();
    throw new CliError(
      "no-admin-key",
      `cannot read the admin key file ${file} (${code ?? "error"})`,
    );
  }
  if (text === "") throw new CliError("no-admin-key", `the admin key file ${file} is empty`);
  return { key: text, source: file, file };
}
