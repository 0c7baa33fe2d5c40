import { dataDirFromEnv, loadOrCreateAccount } from "./account-store.js";
import { AccountFileError } from "./account-validate.js";

/** Ensures the account exists; prints where and its (public) site key, never the secret. */
try {
  const dataDir = dataDirFromEnv(process.env);
  const { account } = await loadOrCreateAccount(dataDir);
  console.log(`Approov account ready in ${dataDir} (site key ${account.siteKey})`);
} catch (error) {
  if (error instanceof AccountFileError) {
    console.error(`attest init: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
