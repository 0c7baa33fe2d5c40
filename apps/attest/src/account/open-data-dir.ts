import { loadOrCreateAdminKey } from "../admin/admin-key.js";
import type { Account } from "./account.js";
import { AccountHolder, type AccountHolderOptions } from "./account-holder.js";
import { loadOrCreateAccount, writeAccount } from "./account-store.js";
import { removeLeftoverTemps } from "./atomic-file.js";
import { AccountPublisher, type PublishDirs, publishDirsFromEnv } from "./published-files.js";

export interface OpenedDataDir {
  /**
   * The account, saved to `<dataDir>/account.json` on every change, and its public and
   * token-secret parts published after it (published-files.ts).
   */
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
  /** Where the public and token-secret files go (default: inside the data dir). */
  publishDirs?: PublishDirs;
}

/**
 * What init and the service do first: clear a crashed writer's temp files, load (or
 * create) the account and the admin key, and publish the account's public and token-secret
 * files (an account from before they existed gets them here).
 */
export async function openDataDir(
  dataDir: string,
  options: DataDirOptions = {},
): Promise<OpenedDataDir> {
  const { createAccount, publishDirs, ...holderOptions } = options;
  const publisher = new AccountPublisher(publishDirs ?? publishDirsFromEnv({}, dataDir));
  const removedTemps = [
    ...(await removeLeftoverTemps(dataDir)),
    ...(await removeLeftoverTemps(publisher.dirs.publicDir)),
    ...(await removeLeftoverTemps(publisher.dirs.tokenSecretsDir)),
  ];
  const { account, created } = await loadOrCreateAccount(dataDir, createAccount);
  const { key } = await loadOrCreateAdminKey(dataDir);
  await publisher.publish(account);
  const store = new AccountHolder(account, {
    ...holderOptions,
    // The account file first (the truth), then what its readers see.
    persist: async (next) => {
      await writeAccount(dataDir, next);
      await publisher.publish(next);
    },
  });
  return { store, account, created, adminKey: key, removedTemps };
}
