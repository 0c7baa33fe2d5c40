import type { RunningService } from "@shapes/node-service";
import { type LogWriter, logLine } from "../log-line.js";
import type { ActivityBuckets } from "./activity-buckets.js";

/**
 * SIGINT / SIGTERM: stop serving, then add the last counts to the store before exiting
 * (runService's own handler would exit before an asynchronous flush ends).
 */
export function stopOnSignals(
  service: RunningService,
  activity: ActivityBuckets,
  write: LogWriter,
): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      void service
        .close()
        .then(() => activity.stop())
        .catch((error: Error) =>
          write(
            logLine(Date.now(), "error", "activity not saved at exit", undefined, {
              error: error.message,
            }),
          ),
        )
        .finally(() => process.exit(0));
    });
  }
}
