import { dataDirFromEnv } from "./account-store.js";
import { AccountFileError } from "./account-validate.js";
import { AdminKeyFileError } from "./admin-key.js";
import { openDataDir } from "./open-data-dir.js";

/**
 * Ensures the account and the admin key exist; prints where and the (public) site key,
 * never a secret or the admin key.
 */
try {
  const dataDir = dataDirFromEnv(process.env);
  const { account } = await openDataDir(dataDir);
  console.log(`Approov account ready in ${dataDir} (site key ${account.siteKey})`);
} catch (error) {
  if (error instanceof AccountFileError || error instanceof AdminKeyFileError) {
    console.error(`attest init: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
