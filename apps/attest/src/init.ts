import { ConfigError } from "@shapes/node-service";
import { createEmptyAccount } from "./account/account.js";
import { dataDirFromEnv } from "./account/account-store.js";
import { AccountFileError } from "./account/account-validate.js";
import { InitUsageError, initOptions } from "./account/init-args.js";
import { openDataDir } from "./account/open-data-dir.js";
import { publishDirsFromEnv } from "./account/published-files.js";
import { AdminKeyFileError } from "./admin/admin-key.js";
import { logLine, stdoutLogWriter } from "./observability/log-line.js";

/**
 * Ensures the account and the admin key exist (`--empty`: an account without APIs or web
 * protection entries, when none exists yet); prints one structured line saying where and
 * the (public) site key, never a secret or the admin key.
 */
try {
  const { empty } = initOptions(process.argv.slice(2), process.env);
  const dataDir = dataDirFromEnv(process.env);
  const { account, created } = await openDataDir(dataDir, {
    publishDirs: publishDirsFromEnv(process.env, dataDir),
    ...(empty ? { createAccount: createEmptyAccount } : {}),
  });
  stdoutLogWriter(
    logLine(Date.now(), "info", "Approov account ready", undefined, {
      dataDir,
      siteKey: account.siteKey,
      // Only said when it made a difference: an existing account is never emptied.
      ...(empty ? { empty: created } : {}),
    }),
  );
} catch (error) {
  if (error instanceof InitUsageError) {
    stdoutLogWriter(logLine(Date.now(), "fatal", `attest init: ${error.message}`, undefined));
    process.exit(2);
  }
  if (
    error instanceof AccountFileError ||
    error instanceof AdminKeyFileError ||
    error instanceof ConfigError
  ) {
    stdoutLogWriter(logLine(Date.now(), "fatal", `attest init: ${error.message}`, undefined));
    process.exit(1);
  }
  throw error;
}
