// Issue 14: nothing a user does is lost when an attest instance or Redis dies. Sessions of
// the real approov.js in Chromium refresh through the real nginx (deploy/nginx) while one
// instance is killed with SIGKILL and started again, Redis is killed and started again
// (empty), the other instance is restarted with SIGTERM (drained), and admin changes are
// made through the proxy.
import { once } from "node:events";
import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "@playwright/test";
import { HCAPTCHA_TEST_KEYS } from "@shapes/protocol";
import { type ProxyLogEntry, waitUntil } from "@shapes/test-stack";
import { createApproovTokenVerifier, decodeApproovSecret } from "@shapes/verifier";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChaosStack, startChaosStack } from "./chaos-stack.js";

type Sdk = typeof import("@shapes/web-sdk");

/** What one page's refresh loop saw. */
interface SessionRun {
  tokens: string[];
  /** Every fetchToken that threw: must stay empty. */
  errors: string[];
}

declare global {
  interface Window {
    sdk: Sdk;
    chaosStop: boolean;
    chaosRun: Promise<SessionRun>;
  }
}

/** hCaptcha's test keys: the publisher's passes; the bot-detected one scores over minScore. */
const PASSING = HCAPTCHA_TEST_KEYS.publisher;
const FAILING = HCAPTCHA_TEST_KEYS.enterpriseBotDetected;
const PASSING_SESSIONS = 3;
/** How long Redis stays down: inside the SDK's smallest retry budget (3.75 s of pauses). */
const REDIS_OUTAGE_MS = 2000;
/** How soon after being healthy a restarted instance must answer through the proxy again. */
const REJOIN_LIMIT_MS = 4000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const systemChromium = "/usr/bin/chromium";

let stack: ChaosStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startChaosStack();
  const executablePath =
    process.env.CHROMIUM_PATH || (existsSync(systemChromium) ? systemChromium : undefined);
  browser = await chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 30_000);

/** A page with approov.js whose session refreshes (a new payload each time) until stopped. */
async function startSession(hcaptcha: { siteKey: string; response: string }): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${stack.pageOrigin}/`);
  // As a string: vitest rewrites import() in the test's own functions, which run in the page.
  await page.evaluate("import('/approov.js').then((sdk) => { window.sdk = sdk; })");
  await page.evaluate(
    async ({ config, response }) => {
      const { Approov } = window.sdk;
      await Approov.initializeSession(config);
      const first = await Approov.fetchToken("localhost", { hcaptchaToken: response }).catch(
        (error: { name: string; message: string; status?: number; errors?: unknown }) => {
          const { name, message, status, errors } = error;
          throw new Error(`first fetchToken: ${JSON.stringify({ name, message, status, errors })}`);
        },
      );
      window.chaosStop = false;
      window.chaosRun = (async () => {
        const run: SessionRun = { tokens: [first], errors: [] };
        for (let i = 0; !window.chaosStop; i++) {
          try {
            // Another payload each time: never cached, always a /refresh.
            run.tokens.push(await Approov.fetchToken("localhost", { payload: `call ${i}` }));
          } catch (error) {
            run.errors.push(`${(error as Error).name}: ${(error as Error).message}`);
          }
          await new Promise((resolve) => setTimeout(resolve, 40));
        }
        return run;
      })();
    },
    {
      config: {
        approovHost: stack.proxy.url,
        approovSiteKey: stack.account.siteKey,
        hcaptchaSiteKey: hcaptcha.siteKey,
      },
      response: hcaptcha.response,
    },
  );
  return page;
}

async function stopSession(page: Page): Promise<SessionRun> {
  return page.evaluate(() => {
    window.chaosStop = true;
    return window.chaosRun;
  });
}

/** Adds an API through the proxy every 200 ms until stopped; the status of each. */
function adminChanges(): { stop(): Promise<Map<string, number>> } {
  const statuses = new Map<string, number>();
  let stopped = false;
  const loop = (async () => {
    for (let i = 0; !stopped; i++) {
      const domain = `chaos-${i}.example`;
      const status = await fetch(`${stack.proxy.url}/admin/v1/apis/${domain}`, {
        method: "PUT",
        headers: { authorization: `Bearer ${stack.adminKey}`, "content-type": "application/json" },
        body: "{}",
      }).then(
        (answer) => answer.status,
        () => 0,
      );
      statuses.set(domain, status);
      await sleep(200);
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return statuses;
    },
  };
}

async function healthy(url: string): Promise<boolean> {
  return fetch(`${url}/healthz`).then(
    (answer) => answer.status === 200,
    () => false,
  );
}

const servedBy = (entry: ProxyLogEntry, port: number) =>
  entry.status === 200 && entry.upstreams.at(-1) === `127.0.0.1:${port}`;

describe("chaos: an instance and Redis die under load", () => {
  it("the pages see no failure, no valid token without a passed check, nothing admitted is lost", async () => {
    const passing = await Promise.all(
      Array.from({ length: PASSING_SESSIONS }, () => startSession(PASSING)),
    );
    const failing = await startSession(FAILING);
    const admin = adminChanges();
    const [first] = stack.instances;
    await sleep(2000);

    // kill -9 one instance mid-run; start it again 3 s later on the same port.
    await first.process.stop("SIGKILL");
    await sleep(3000);
    const restarted = await stack.restartInstance(0);
    await waitUntil(() => healthy(restarted.url), "the restarted instance healthy");
    const healthyAt = Date.now();
    await waitUntil(
      async () =>
        (await stack.proxy.accessLog()).some(
          (entry) => entry.at >= healthyAt && servedBy(entry, restarted.port),
        ),
      "the restarted instance answering through the proxy",
      10_000,
    );
    const rejoinMs = Date.now() - healthyAt;
    await sleep(1500);

    // Redis down for a while, then back, empty.
    const redisDownAt = Date.now();
    await stack.redis.stop();
    await sleep(REDIS_OUTAGE_MS);
    await stack.redis.restart();
    await waitUntil(
      async () =>
        (await healthy(stack.instances[0].url)) && (await healthy(stack.instances[1].url)),
      "both instances healthy after Redis returned",
    );
    const recoveredAt = Date.now();
    await sleep(1500);

    // A rolling restart of the other instance: SIGTERM drains it (exit 0), then it starts again.
    const [, second] = stack.instances;
    const drained = once(second.process.child, "exit");
    await second.process.stop("SIGTERM");
    const [exitCode] = await drained;
    await stack.restartInstance(1);
    await sleep(1500);

    const runs = await Promise.all(passing.map(stopSession));
    const failed = await stopSession(failing);
    const adminStatuses = await admin.stop();
    const log = await stack.proxy.accessLog();
    console.log(
      `chaos: the killed instance rejoined ${rejoinMs} ms after healthy; Redis down ` +
        `${recoveredAt - redisDownAt} ms; ${log.length} proxied requests, ` +
        `${log.filter((entry) => entry.status >= 500).length} answered >= 500 by the proxy; ` +
        `per instance: ${stack.instances
          .map(
            (instance) =>
              `${instance.port}: ${log.filter((e) => servedBy(e, instance.port)).length}`,
          )
          .join(", ")}`,
    );

    expect(exitCode).toBe(0);
    // The pages never saw a failure, and kept refreshing through both outages.
    for (const run of [...runs, failed]) {
      expect(run.errors).toEqual([]);
      expect(run.tokens.length).toBeGreaterThan(20);
    }
    // The outages really reached the proxy: the SDK rode over them.
    expect(log.filter((entry) => entry.status === 503).length).toBeGreaterThan(0);
    expect(log.some((entry) => entry.at >= redisDownAt && entry.status === 200)).toBe(true);

    // Valid tokens only for sessions whose check passed; the failing one got only decoys.
    const verify = createApproovTokenVerifier({
      secret: decodeApproovSecret(stack.account.secret),
    });
    const valid = async (token: string) =>
      verify(token).then(
        () => true,
        () => false,
      );
    for (const run of runs) {
      const results = await Promise.all(run.tokens.map(valid));
      expect(results.filter((ok) => !ok)).toEqual([]);
    }
    const decoys = await Promise.all(failed.tokens.map(valid));
    expect(decoys.filter((ok) => ok)).toEqual([]);

    // The killed instance took traffic again soon after it was healthy, and both served.
    expect(rejoinMs).toBeLessThan(REJOIN_LIMIT_MS);
    for (const instance of stack.instances) {
      expect(log.filter((entry) => servedBy(entry, instance.port)).length).toBeGreaterThan(10);
    }

    // Every admin change answered 200 reaches both instances (propagation takes ms).
    const admitted = [...adminStatuses].filter(([, status]) => status === 200).map(([d]) => d);
    expect(admitted.length).toBeGreaterThan(10);
    const missingOn = async (url: string) => {
      const answer = await fetch(`${url}/admin/v1/account`, {
        headers: { authorization: `Bearer ${stack.adminKey}` },
      });
      const apis = ((await answer.json()) as { apis: Record<string, unknown> }).apis;
      return admitted.filter((domain) => !Object.hasOwn(apis, domain));
    };
    const missing = async () => [
      ...(await missingOn(stack.instances[0].url)),
      ...(await missingOn(stack.instances[1].url)),
    ];
    await waitUntil(
      async () => (await missing()).length === 0,
      "admin changes on both",
      5000,
    ).catch(() => undefined);
    expect(await missing()).toEqual([]);
  }, 110_000);
});
