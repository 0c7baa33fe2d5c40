import { type RunningService, runService } from "@shapes/node-service";
import type { Hono } from "hono";
import { onTestFinished } from "vitest";

/** The app on a real socket, on a free port of 127.0.0.1, leaving the process's signals alone. */
export function serveOnSocket(app: Hono): Promise<RunningService> {
  return runService({ name: "attest-test", fetch: app.fetch, port: 0, handleSignals: false });
}

/** serveOnSocket for the running test only: closed when the test finishes, passed or not. */
export async function serveForTest(app: Hono): Promise<RunningService> {
  const service = await serveOnSocket(app);
  onTestFinished(() => service.close());
  return service;
}
