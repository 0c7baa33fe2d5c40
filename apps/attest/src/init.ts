import { dataDirFromEnv } from "./account-store.js";
import { AccountFileError } from "./account-validate.js";
import { AdminKeyFileError } from "./admin-key.js";
import { logLine, stdoutLogWriter } from "./log-line.js";
import { openDataDir } from "./open-data-dir.js";

/**
 * Ensures the account and the admin key exist; prints one structured line saying where and
 * the (public) site key, never a secret or the admin key.
 */
try {
  const dataDir = dataDirFromEnv(process.env);
  const { account } = await openDataDir(dataDir);
  stdoutLogWriter(
    logLine(Date.now(), "info", "Approov account ready", undefined, {
      dataDir,
      siteKey: account.siteKey,
    }),
  );
} catch (error) {
  if (error instanceof AccountFileError || error instanceof AdminKeyFileError) {
    stdoutLogWriter(logLine(Date.now(), "fatal", `attest init: ${error.message}`, undefined));
    process.exit(1);
  }
  throw error;
}
