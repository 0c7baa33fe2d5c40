import { randomBytes } from "node:crypto";
import { open, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { CliError } from "./errors.js";

function reason(error: unknown, path: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT" || code === "ENOTDIR") {
    return `the directory ${dirname(path)} does not exist`;
  }
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") return "permission denied";
  if (code === "ENOSPC") return "no space left on the device";
  return code ?? "unknown error";
}

/**
 * Writes `data` to `path`, replacing any file there, so that `path` is always either the old
 * file or the complete new one (never half written): a temporary file in the same directory,
 * flushed, then renamed over it.
 */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) {
    throw new CliError("write-failed", `cannot write ${path}: it is a directory`);
  }
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  let created = false;
  try {
    const handle = await open(temp, "wx", 0o644);
    created = true;
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    if (created) await unlink(temp).catch(() => {});
    throw new CliError("write-failed", `cannot write ${path}: ${reason(error, path)}`);
  }
}
