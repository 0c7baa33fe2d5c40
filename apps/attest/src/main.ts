import { ConfigError, ListenError, portFromEnv, runService } from "@shapes/node-service";
import { dataDirFromEnv } from "./account/account-store.js";
import { AccountFileError } from "./account/account-validate.js";
import { openDataDir } from "./account/open-data-dir.js";
import { publishDirsFromEnv } from "./account/published-files.js";
import { AdminKeyFileError } from "./admin/admin-key.js";
import { createApp } from "./http/app.js";
import {
  flushSecondsFromEnv,
  openActivityBuckets,
} from "./observability/activity-buckets/open-activity-buckets.js";
import { stopOnSignals } from "./observability/activity-buckets/stop-on-signals.js";
import { logLine, stdoutLogWriter } from "./observability/log-line.js";
import { sdkSettingsFromEnv } from "./sdk/sdk-settings.js";
import { settingsFromEnv } from "./settings.js";
import { AccountSync } from "./shared-state/account-sync.js";
import { redisEndpoint, redisSettingsFromEnv } from "./shared-state/redis-settings.js";
import { RedisSharedStore } from "./shared-state/redis-store.js";

/** How long start-up waits for Redis before serving from the account file (degraded). */
const REDIS_STARTUP_WAIT_MS = 3000;

try {
  const settings = settingsFromEnv(process.env);
  const sdk = sdkSettingsFromEnv(process.env);
  const port = portFromEnv(process.env, "ATTEST_PORT", 8001);
  const redis = redisSettingsFromEnv(process.env);
  const write = stdoutLogWriter;
  const shared = redis
    ? new RedisSharedStore({
        ...redis,
        replayWindowMs: sdk.dpopMaxAgeSeconds * 1000,
        logWriter: write,
      })
    : undefined;
  const dataDir = dataDirFromEnv(process.env);
  const flushSeconds = flushSecondsFromEnv(process.env);
  const { store, adminKey } = await openDataDir(dataDir, {
    publishDirs: publishDirsFromEnv(process.env, dataDir),
    ...(shared ? { shared: shared.account } : {}),
    onLocalCopyError: (error) =>
      write(
        logLine(
          Date.now(),
          "error",
          "account file not written; retried on the next sync",
          undefined,
          {
            error: (error as NodeJS.ErrnoException).code ?? "error",
          },
        ),
      ),
  });
  let sync: AccountSync | undefined;
  if (shared && redis) {
    sync = new AccountSync(store, shared.account, { logWriter: write });
    if (await shared.waitUntilReady(REDIS_STARTUP_WAIT_MS)) await sync.check(true);
    else {
      write(
        logLine(
          Date.now(),
          "warn",
          "redis not reachable at start: serving the account file, degraded until it is",
          undefined,
          { redis: redisEndpoint(redis) },
        ),
      );
    }
    sync.start();
  }
  const activity = await openActivityBuckets({ redis, dataDir, flushSeconds, logWriter: write });
  const app = createApp({
    activity,
    account: store,
    adminKey,
    settings,
    sdk,
    processMetrics: true,
    ...(shared ? { shared } : {}),
  });
  const service = await runService({
    name: "attest",
    handleSignals: false,
    fetch: app.fetch,
    port,
    hostname: process.env.HOST || "127.0.0.1",
    // Requests Node's parser refuses (malformed HTTP, request line or headers over
    // 16 KiB) are answered in the service's error shape too.
    clientErrorBody: (status, message) => ({
      message,
      errors:
        status === 431
          ? { "rqst-body-too-large": "request line or headers over 16 KiB" }
          : { "rqst-body-parse": "malformed HTTP request" },
    }),
    // SIGTERM drains (a rolling restart loses no request): Redis is closed only after
    // the requests in flight, which may need it, have been answered.
    onClose: async () => {
      sync?.stop();
      await shared?.close();
    },
  });
  stopOnSignals(service, activity, write);
} catch (error) {
  if (error instanceof ListenError) {
    console.error(error.message);
    process.exit(1);
  }
  if (
    error instanceof ConfigError ||
    error instanceof AccountFileError ||
    error instanceof AdminKeyFileError
  ) {
    // One structured line like every other; the message names what to fix, never a value of a secret.
    stdoutLogWriter(logLine(Date.now(), "fatal", `attest: ${error.message}`, undefined));
    process.exit(1);
  }
  throw error;
}
