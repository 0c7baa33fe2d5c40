import { randomBytes } from "node:crypto";
import { chmod, link, mkdir, open, readdir, rename, stat, unlink } from "node:fs/promises";
import { join } from "node:path";

/**
 * Temp files are `.<name>.<pid>.<random>.tmp` in the target's directory (same file system,
 * so rename is atomic). The pid lets a starting process tell a dead writer's leftovers
 * (a crash between open and rename) from a live writer's file.
 */
const TEMP_FILE = /^\.(.+)\.(\d+)\.[0-9a-f]{12}\.tmp$/;
/** A temp file this old is a leftover whoever wrote it (a live write takes milliseconds). */
const STALE_TEMP_MS = 10 * 60_000;

function tempPath(dir: string, name: string): string {
  return join(dir, `.${name}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
}

/** Who may read a written file and its directory (when this call creates it). */
export interface FileModes {
  file: number;
  dir: number;
}

/** Secrets: the owner alone. */
export const PRIVATE_MODES: FileModes = { file: 0o600, dir: 0o700 };

/** Writes `content` to a fsynced temp file in `dir` (created if missing) with `modes`. */
async function writeTemp(
  dir: string,
  name: string,
  content: string,
  modes: FileModes,
): Promise<string> {
  // Exactly `modes.dir` when this call makes it, whatever the umask (an existing one is kept).
  if ((await mkdir(dir, { recursive: true, mode: modes.dir })) !== undefined) {
    await chmod(dir, modes.dir);
  }
  const temp = tempPath(dir, name);
  const file = await open(temp, "wx", modes.file);
  try {
    // Exactly `modes.file` whatever the umask: a public file must be readable by others.
    await file.chmod(modes.file);
    await file.writeFile(content);
    await file.sync();
    await file.close();
  } catch (error) {
    await file.close().catch(() => {});
    await unlink(temp).catch(() => {});
    throw error;
  }
  return temp;
}

/** Makes a rename/link durable; not every file system supports fsync on directories. */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}

/**
 * Replaces `dir/name` atomically (temp + fsync + rename + fsync dir): readers see old or
 * new. Private (0600) unless `modes` says otherwise.
 */
export async function replaceFile(
  dir: string,
  name: string,
  content: string,
  modes: FileModes = PRIVATE_MODES,
): Promise<void> {
  const temp = await writeTemp(dir, name, content, modes);
  try {
    await rename(temp, join(dir, name));
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  await syncDir(dir);
}

/**
 * Creates `dir/name` with `content` only if it does not exist: the temp file is linked into
 * place, which fails when the file appeared meanwhile, so two processes starting together
 * never overwrite each other's keys. Resolves true when this call created it.
 */
export async function createFileOnce(dir: string, name: string, content: string): Promise<boolean> {
  const temp = await writeTemp(dir, name, content, PRIVATE_MODES);
  const target = join(dir, name);
  try {
    await link(temp, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    // Our temp file was cleaned away by another starting process: it only does that once
    // the target exists, so this is the same outcome as EEXIST.
    if (code === "ENOENT" && (await exists(target))) return false;
    throw error;
  } finally {
    await unlink(temp).catch(() => {});
  }
  await syncDir(dir);
  return true;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes temp files a crashed writer left in `dir`: those of dead processes, those of
 * this pid (at start this process has written nothing yet: they are a previous
 * incarnation's, e.g. pid 1 in a restarted container), and any older than 10 minutes.
 * Returns the names removed. Call at start, before this process writes anything.
 */
export async function removeLeftoverTemps(dir: string, nowMs = Date.now()): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMP_FILE.exec(name);
    if (!match) continue;
    const pid = Number(match[2]);
    const path = join(dir, name);
    let stale = pid === process.pid || !isAlive(pid);
    if (!stale) {
      const info = await stat(path).catch(() => undefined);
      stale = info !== undefined && nowMs - info.mtimeMs > STALE_TEMP_MS;
    }
    if (
      stale &&
      (await unlink(path)
        .then(() => true)
        .catch(() => false))
    )
      removed.push(name);
  }
  return removed;
}
