import { loadOrCreateAdminKey } from "../admin/admin-key.js";
import type { Account } from "./account.js";
import { AccountHolder, type AccountHolderOptions } from "./account-holder.js";
import { loadOrCreateAccount, writeAccount } from "./account-store.js";
import { removeLeftoverTemps } from "./atomic-file.js";

export interface OpenedDataDir {
  /** The account, saved to `<dataDir>/account.json` on every admin change. */
  store: AccountHolder;
  account: Account;
  created: boolean;
  adminKey: string;
  /** Temp files a crashed writer had left, now removed. */
  removedTemps: string[];
}

/** What the holder needs besides the file: the clock, and the shared document (REDIS_URL). */
export interface DataDirOptions
  extends Pick<AccountHolderOptions, "now" | "shared" | "onLocalCopyError"> {
  /** The account made when none exists (the pre-configured local one by default). */
  createAccount?: () => Account;
}

/**
 * What init and the service do first: clear a crashed writer's temp files, then load (or
 * create) the account and the admin key.
 */
export async function openDataDir(
  dataDir: string,
  options: DataDirOptions = {},
): Promise<OpenedDataDir> {
  const removedTemps = await removeLeftoverTemps(dataDir);
  const { createAccount, ...holderOptions } = options;
  const { account, created } = await loadOrCreateAccount(dataDir, createAccount);
  const { key } = await loadOrCreateAdminKey(dataDir);
  const store = new AccountHolder(account, {
    ...holderOptions,
    persist: (next) => writeAccount(dataDir, next),
  });
  return { store, account, created, adminKey: key, removedTemps };
}
