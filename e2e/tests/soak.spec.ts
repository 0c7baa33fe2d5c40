// Soak: a steady minute of SDK sessions and plain /attest calls against attest. Every
// request must get a valid answer (nothing lost) and attest's memory must stay flat.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { jwtVerify } from "jose";
import { SdkSession } from "../support/sdk-session.js";
import { type ServiceProcess, startServiceProcess } from "../support/service-process.js";
import { HCAPTCHA_PUBLISHER_KEY, repoRoot } from "../support/stack.js";

const SOAK_SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const WARMUP_SECONDS = 10;
const REQUESTS_PER_SECOND = 40;
const SESSIONS = 8;
const DUMMY_HCAPTCHA_TOKEN = "10000000-aaaa-bbbb-cccc-000000000001";

test.setTimeout((SOAK_SECONDS + WARMUP_SECONDS + 60) * 1000);

let sandbox: ServiceProcess;
let attest: ServiceProcess;
let account: { siteKey: string; secret: string };

test.beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "shapes-soak-"));
  execFileSync(process.execPath, ["apps/attest/dist/init.js"], {
    cwd: repoRoot,
    env: { ...process.env, ATTEST_DATA_DIR: dataDir },
    stdio: "ignore",
  });
  account = JSON.parse(readFileSync(join(dataDir, "account.json"), "utf8"));
  sandbox = await startServiceProcess("apps/captcha-sandbox/dist/main.js", { SANDBOX_PORT: "0" });
  attest = await startServiceProcess("apps/attest/dist/main.js", {
    ATTEST_PORT: "0",
    ATTEST_DATA_DIR: dataDir,
    HCAPTCHA_SITEVERIFY_URL: `${sandbox.url}/siteverify`,
  });
});

test.afterAll(async () => {
  await attest?.stop();
  await sandbox?.stop();
});

test(`a steady ${SOAK_SECONDS} s load keeps attest's memory flat and loses nothing`, async () => {
  const secret = new Uint8Array(Buffer.from(account.secret, "base64"));
  const form = {
    api: "localhost",
    "approov-site-key": account.siteKey,
  };
  const check = {
    "hcaptcha-site-key": HCAPTCHA_PUBLISHER_KEY,
    "hcaptcha-token": DUMMY_HCAPTCHA_TOKEN,
  };
  const sessions = await Promise.all(
    Array.from({ length: SESSIONS }, () => SdkSession.create(attest.url)),
  );
  for (const session of sessions)
    expect((await session.start({ ...form, ...check })).status).toBe(200);

  const counts = { sent: 0, valid: 0, failed: [] as string[] };
  const samples: { at: number; rss: number }[] = [];
  const started = Date.now();
  const end = started + (WARMUP_SECONDS + SOAK_SECONDS) * 1000;
  let tick = 0;
  const inFlight = new Set<Promise<void>>();

  // Open loop at a fixed rate: each tick sends one request, whatever the others are doing.
  while (Date.now() < end) {
    const n = tick++;
    const request = (async () => {
      counts.sent++;
      const answer =
        n % 5 === 4
          ? await plainAttest(attest.url, { ...form, ...check })
          : await (sessions[n % SESSIONS] as SdkSession).refresh(form);
      if (answer.status !== 200 || !answer.token) {
        counts.failed.push(`#${n}: status ${answer.status}`);
        return;
      }
      await jwtVerify(answer.token, secret, { algorithms: ["HS256"] });
      counts.valid++;
    })().catch((error) => {
      counts.failed.push(`#${n}: ${error.message}`);
    });
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
    if (n % REQUESTS_PER_SECOND === 0)
      samples.push({ at: Date.now() - started, rss: attest.rssBytes() });
    await new Promise((r) => setTimeout(r, 1000 / REQUESTS_PER_SECOND));
  }
  await Promise.all(inFlight);

  expect(counts.failed.slice(0, 10)).toEqual([]);
  expect(counts.valid).toBe(counts.sent);
  expect(counts.sent).toBeGreaterThan(SOAK_SECONDS * REQUESTS_PER_SECOND * 0.8);

  // Flat: after warm-up, the last third's median RSS stays within 25% (+8 MiB) of the first's.
  const steady = samples.filter((s) => s.at >= WARMUP_SECONDS * 1000).map((s) => s.rss);
  const third = Math.max(1, Math.floor(steady.length / 3));
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  const early = median(steady.slice(0, third));
  const late = median(steady.slice(-third));
  console.log(
    `attest RSS: ${(early / 2 ** 20).toFixed(1)} MiB -> ${(late / 2 ** 20).toFixed(1)} MiB over ${SOAK_SECONDS} s, ${counts.sent} requests`,
  );
  expect(late).toBeLessThan(early * 1.25 + 8 * 2 ** 20);
});

async function plainAttest(base: string, form: Record<string, string>) {
  const response = await fetch(`${base}/attest`, {
    method: "POST",
    body: new URLSearchParams(form),
  });
  return {
    status: response.status,
    token: response.status === 200 ? await response.text() : undefined,
  };
}
