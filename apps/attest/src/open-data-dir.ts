import type { Account } from "./account.js";
import { AccountHolder } from "./account-holder.js";
import { loadOrCreateAccount, writeAccount } from "./account-store.js";
import { loadOrCreateAdminKey } from "./admin-key.js";
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

/**
 * What init and the service do first: clear a crashed writer's temp files, then load (or
 * create) the account and the admin key.
 */
export async function openDataDir(dataDir: string, now?: () => number): Promise<OpenedDataDir> {
  const removedTemps = await removeLeftoverTemps(dataDir);
  const { account, created } = await loadOrCreateAccount(dataDir);
  const { key } = await loadOrCreateAdminKey(dataDir);
  const store = new AccountHolder(account, {
    persist: (next) => writeAccount(dataDir, next),
    ...(now ? { now } : {}),
  });
  return { store, account, created, adminKey: key, removedTemps };
}
