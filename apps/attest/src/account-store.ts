import { randomBytes } from "node:crypto";
import { link, mkdir, open, readFile, rename, unlink } from "node:fs/promises";
import { join, resolve } from "node:path";
import { type Account, createDefaultAccount } from "./account.js";
import { AccountFileError, parseAccount } from "./account-validate.js";

export const ACCOUNT_FILE = "account.json";
/** Largest account file we read: bounds memory if the path points at something else. */
const MAX_ACCOUNT_FILE_BYTES = 1024 * 1024;

/** `${ATTEST_DATA_DIR:-.data}` resolved against the working directory. */
export function dataDirFromEnv(env: Record<string, string | undefined>, cwd = process.cwd()) {
  return resolve(cwd, env.ATTEST_DATA_DIR || ".data");
}

export function accountPath(dataDir: string): string {
  return join(dataDir, ACCOUNT_FILE);
}

/** Reads and validates the account, or returns undefined when the file does not exist. */
export async function loadAccount(dataDir: string): Promise<Account | undefined> {
  const path = accountPath(dataDir);
  let text: string;
  try {
    const data = await readFile(path);
    if (data.length > MAX_ACCOUNT_FILE_BYTES) {
      throw new AccountFileError("account-corrupt", `${path}: larger than 1 MiB`);
    }
    text = data.toString("utf8");
  } catch (error) {
    if (error instanceof AccountFileError) throw error;
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new AccountFileError(
      "account-unreadable",
      `${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AccountFileError("account-corrupt", `${path}: is not valid JSON`);
  }
  return parseAccount(json, ACCOUNT_FILE);
}

/** Writes `account` to a fsynced 0600 temp file in `dataDir`; returns its path. */
async function writeTemp(dataDir: string, account: Account): Promise<string> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const temp = join(dataDir, `.${ACCOUNT_FILE}.${randomBytes(6).toString("hex")}.tmp`);
  const file = await open(temp, "wx", 0o600);
  try {
    await file.writeFile(`${JSON.stringify(account, null, 2)}\n`);
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
async function syncDir(dataDir: string): Promise<void> {
  try {
    const dir = await open(dataDir, "r");
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch {
    // best effort
  }
}

/** Replaces the account file atomically (temp file + fsync + rename): readers see old or new. */
export async function writeAccount(dataDir: string, account: Account): Promise<void> {
  const temp = await writeTemp(dataDir, account);
  try {
    await rename(temp, accountPath(dataDir));
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  await syncDir(dataDir);
}

export interface LoadedAccount {
  account: Account;
  /** True when this call created the pre-configured account. */
  created: boolean;
}

/**
 * Loads the account, creating the pre-configured local one when missing. Creation
 * links the temp file into place (fails if the file appeared meanwhile), so two
 * processes starting together never overwrite each other's keys.
 */
export async function loadOrCreateAccount(dataDir: string): Promise<LoadedAccount> {
  const existing = await loadAccount(dataDir);
  if (existing) return { account: existing, created: false };
  const account = createDefaultAccount();
  const temp = await writeTemp(dataDir, account);
  try {
    await link(temp, accountPath(dataDir));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const winner = await loadAccount(dataDir);
    if (winner) return { account: winner, created: false };
    throw error;
  } finally {
    await unlink(temp).catch(() => {});
  }
  await syncDir(dataDir);
  return { account, created: true };
}
