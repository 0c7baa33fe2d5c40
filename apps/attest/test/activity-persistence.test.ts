import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ACTIVITY_FILE } from "../src/observability/activity-buckets/local-bucket-store.js";
import { bucketsOf, sendTraffic, siteKeyOf } from "./helpers/activity-traffic.js";
import { within } from "./helpers/scale-out.js";
import { type RunningAttest, startAttest } from "./helpers/start-attest.js";
import { type RunningSandbox, startSandbox } from "./helpers/start-sandbox.js";

/**
 * The real attest process over a real data directory: the activity buckets survive a
 * kill -9 (up to the last flush) and a SIGTERM (flushed on the way out).
 */

let sandbox: RunningSandbox;
let dir: string;
const running: RunningAttest[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox?.stop();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "attest-activity-process-"));
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((attest) => attest.stop("SIGKILL")));
  await rm(dir, { recursive: true, force: true });
});

async function start(flushSeconds: number): Promise<RunningAttest> {
  const attest = await startAttest(dir, 20_000, {
    HCAPTCHA_SITEVERIFY_URL: sandbox.siteverifyUrl,
    ACTIVITY_FLUSH_SECONDS: String(flushSeconds),
  });
  running.push(attest);
  return attest;
}

/** Decisions in the file's hour buckets (what a restarted process will read). */
async function requestsInFile(): Promise<number> {
  let file: { buckets: { hour: Record<string, Record<string, number>> } };
  try {
    file = JSON.parse(await readFile(join(dir, ACTIVITY_FILE), "utf8"));
  } catch {
    return 0;
  }
  let sum = 0;
  for (const fields of Object.values(file.buckets.hour)) {
    for (const [name, n] of Object.entries(fields)) if (name.startsWith("o|")) sum += n;
  }
  return sum;
}

describe("activity buckets of the attest process (data directory)", () => {
  it("survive kill -9 once flushed, and the restarted process adds to them", async () => {
    const first = await start(1);
    const siteKey = await siteKeyOf(first.url, dir);
    await sendTraffic(first.url, siteKey, { valid: 3, decoys: 2, errors: 2 });
    await within(10_000, async () => (await requestsInFile()) === 7);
    await first.stop("SIGKILL");

    const second = await start(1);
    const hour = await bucketsOf(second.url, dir);
    expect(hour.store).toBe("file");
    expect(hour.flushSeconds).toBe(1);
    expect(hour.total).toMatchObject({
      requests: 7,
      valid: 3,
      invalid: 2,
      error: 2,
      errors: { "aprv-api-not-found": 2 },
      byApi: {
        localhost: { valid: 3, invalid: 2, error: 0 },
        other: { valid: 0, invalid: 0, error: 2 },
      },
      billing: { tokens: 5, freshChecks: 5, refreshes: 0, upstreamChecks: 5 },
    });
    expect(hour.total.upstream.hcaptcha?.count).toBe(5);
    await sendTraffic(second.url, siteKey, { valid: 1, decoys: 0, errors: 0 });
    expect((await bucketsOf(second.url, dir, "month")).total.valid).toBe(4);
  }, 30_000);

  it("flush at SIGTERM: nothing is lost with a long flush interval", async () => {
    const first = await start(300);
    const siteKey = await siteKeyOf(first.url, dir);
    await sendTraffic(first.url, siteKey, { valid: 2, decoys: 1, errors: 1 });
    expect(await requestsInFile()).toBe(0);
    await first.stop("SIGTERM");
    expect(first.child.exitCode).toBe(0);
    expect(await requestsInFile()).toBe(4);

    const second = await start(300);
    const day = await bucketsOf(second.url, dir, "day");
    expect(day.total).toMatchObject({ requests: 4, valid: 2, invalid: 1, error: 1 });
  }, 30_000);
});
