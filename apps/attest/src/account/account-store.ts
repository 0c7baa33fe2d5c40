import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { type Account, createDefaultAccount } from "./account.js";
import { AccountFileError, readAccountJson } from "./account-validate.js";
import { createFileOnce, replaceFile } from "./atomic-file.js";

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

const serialize = (account: Account) => `${JSON.stringify(account, null, 2)}\n`;

/** Reads and validates the file as it is; undefined when it does not exist. */
async function readAccountFile(dataDir: string) {
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
  return readAccountJson(json, ACCOUNT_FILE);
}

/**
 * Reads and validates the account, or returns undefined when the file does not exist. A
 * file written before JWE support gets its `encryptionSecret` here and is rewritten
 * atomically; the file is read again after that, so two processes upgrading at once
 * settle on the secret that ended up on disk (the last rename).
 */
export async function loadAccount(dataDir: string): Promise<Account | undefined> {
  const parsed = await readAccountFile(dataDir);
  if (!parsed?.upgraded) return parsed?.account;
  await writeAccount(dataDir, parsed.account);
  return (await readAccountFile(dataDir))?.account;
}

/** Replaces the account file atomically (temp file + fsync + rename): readers see old or new. */
export function writeAccount(dataDir: string, account: Account): Promise<void> {
  return replaceFile(dataDir, ACCOUNT_FILE, serialize(account));
}

export interface LoadedAccount {
  account: Account;
  /** True when this call created the pre-configured account. */
  created: boolean;
}

/**
 * Loads the account, creating it when missing (`create`: the pre-configured local one by
 * default). Creation
 * links the temp file into place (fails if the file appeared meanwhile), so two
 * processes starting together never overwrite each other's keys.
 */
export async function loadOrCreateAccount(
  dataDir: string,
  create: () => Account = createDefaultAccount,
): Promise<LoadedAccount> {
  const existing = await loadAccount(dataDir);
  if (existing) return { account: existing, created: false };
  const account = create();
  if (await createFileOnce(dataDir, ACCOUNT_FILE, serialize(account))) {
    return { account, created: true };
  }
  const winner = await loadAccount(dataDir);
  if (winner) return { account: winner, created: false };
  throw new AccountFileError("account-unreadable", `${accountPath(dataDir)}: vanished`);
}
