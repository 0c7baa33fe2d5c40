import { HCAPTCHA_TEST_KEYS } from "@shapes/protocol";
import { jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAccount } from "../src/account/account-store.js";
import { sdkAnswer } from "./helpers/dpop-client.js";
import { expectErrorAnswer } from "./helpers/error-codes.js";
import { type RunningRedis, startRedis } from "./helpers/redis-server.js";
import {
  accountOf,
  admin,
  attestForm,
  type Instance,
  instanceEnv,
  postAttest,
  SessionClient,
  sleep,
  startInstance,
  stopInstance,
  tokenForm,
} from "./helpers/scale-out.js";
import { type RunningSandbox, startSandbox } from "./helpers/start-sandbox.js";

/**
 * Redis killed under two running instances, then started again (empty) on the same port:
 * the documented fault behaviour, then recovery without restarting attest.
 *
 * Deterministic under load: every step waits for a state (health answers, an account
 * adopted), never for a duration, and nothing asserts how long an answer took. It used to
 * fail on a busy machine because the first test ran under vitest's default 5 s timeout while
 * it waits for states and starts a third instance (whose start-up alone waits 3 s for Redis),
 * and because of `ms < 1500` / "recovered within 5 s" assertions and 2 s waits for an
 * account change that the 5 s poll may be the one to deliver.
 */

/** A site with a rate limit (never reached here): its requests need Redis to be counted. */
const LIMITED = HCAPTCHA_TEST_KEYS.enterpriseSafeUser;
const ORIGINAL_LIFETIME = 120;
/**
 * Only a guard against a hang, never a claim about speed: a state is waited for until it
 * holds or this long has passed (far above anything a loaded machine takes).
 */
const STATE_GUARD_MS = 30_000;
/** Per test: the waits above plus starting an instance while Redis is down. */
const TEST_TIMEOUT_MS = 120_000;

/** Polls `probe` until it holds; throws naming `what` if it never does (a hang guard). */
async function until(what: string, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + STATE_GUARD_MS;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`never reached: ${what}`);
    await sleep(50);
  }
}

let redis: RunningRedis;
let sandbox: RunningSandbox;
let a: Instance;
let b: Instance;
/** Started while Redis is down. */
let c: Instance | undefined;
let env: Record<string, string>;

beforeAll(async () => {
  [redis, sandbox] = await Promise.all([startRedis(), startSandbox()]);
  env = instanceEnv(redis, sandbox);
  a = await startInstance(env);
  b = await startInstance(env);
  const put = await admin(a, "PUT", `/web/hcaptcha/${LIMITED.siteKey}`, {
    secret: "0x0000000000000000000000000000000000000000",
    minScore: 0.5,
    rateLimit: 1000,
  });
  expect(put.status).toBe(200);
  await until(
    "B has the rate-limited site",
    async () => (await accountOf(b)).hcaptcha.sites[LIMITED.siteKey]?.rateLimit === 1000,
  );
}, TEST_TIMEOUT_MS);

afterAll(async () => {
  await Promise.all([stopInstance(a), stopInstance(b), stopInstance(c)]);
  await Promise.all([redis?.dispose(), sandbox?.stop()]);
});

async function health(instance: Instance): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${instance.url}/healthz`);
  return { status: res.status, body: await res.json() };
}

const DEGRADED = { status: 503, body: { status: "degraded", redis: "down" } };
const HEALTHY = { status: 200, body: { status: "ok", redis: "up" } };

describe("Redis down, then back", () => {
  const client = SessionClient.create();
  let siteKey: string;
  let refreshToken: string;
  let usedProof: string;

  it(
    "while Redis is down: proofs fail closed (503), limited sites too, admin changes are refused, /attest works",
    async () => {
      const session = await client;
      siteKey = (await accountOf(a)).siteKey;
      const secret = (await loadAccount(a.dir))?.secret ?? "";
      // A session opened while Redis is up: its proof and refresh token are used below.
      await session.primeNonce(a);
      usedProof = await session.proof("/token");
      const opened = await sdkAnswer(
        await session.send(a, "/token", tokenForm(siteKey), usedProof),
      );
      refreshToken = opened.refreshToken ?? "";

      await redis.stop();
      await until("both instances see Redis down", async () => {
        const [ha, hb] = await Promise.all([health(a), health(b)]);
        return ha.status === 503 && hb.status === 503;
      });
      expect(await health(a)).toEqual(DEGRADED);
      expect(await health(b)).toEqual(DEGRADED);

      // A fresh, otherwise valid proof: refused (not queued until Redis returns: the answer
      // arrives while it is still down), never accepted unchecked.
      const proof = await session.proof("/token");
      const token = await session.send(b, "/token", tokenForm(siteKey), proof);
      expect(token.headers.get("retry-after")).toBe("1");
      expect(token.headers.get("dpop-nonce")).toBeTruthy();
      const body = await expectErrorAnswer(token, "token", 503, ["aprv-invalid-dpop-token"]);
      expect(body).toEqual({
        message: "Service Unavailable",
        errors: { "aprv-invalid-dpop-token": "replay check unavailable, try again" },
      });
      const refresh = await session.send(
        a,
        "/refresh",
        [
          ["api", "localhost"],
          ["approov-site-key", siteKey],
          ["refresh-token", refreshToken],
        ],
        await session.proof("/refresh"),
      );
      await expectErrorAnswer(refresh, "refresh", 503, ["aprv-invalid-dpop-token"]);

      // The plain flow needs no Redis: served, with a real token.
      const plain = await postAttest(a, attestForm(siteKey));
      expect(plain.status).toBe(200);
      await jwtVerify(await plain.text(), Buffer.from(secret, "base64"), { algorithms: ["HS256"] });

      // A rate-limited site cannot be counted: refused (fail closed).
      const limited = await postAttest(b, attestForm(siteKey, "localhost", LIMITED));
      expect(limited.headers.get("retry-after")).toBe("1");
      const limitedBody = await expectErrorAnswer(limited, "attest", 503, ["hcap-token-check"]);
      expect(limitedBody.errors["hcap-token-check"]).toBe(
        "rate limit check unavailable, try again",
      );

      // Admin changes: 503, nothing applied anywhere; the last good account keeps serving.
      const change = await admin(a, "PUT", "/web/lifetimes", { tokenLifetimeSeconds: 45 });
      expect(change.status).toBe(503);
      expect(change.headers.get("retry-after")).toBe("1");
      expect(await change.json()).toEqual({
        error: "the shared account store is unavailable; nothing changed, try again",
      });
      expect((await admin(b, "DELETE", "/apis/localhost")).status).toBe(503);
      for (const instance of [a, b]) {
        const view = await accountOf(instance);
        expect(view.tokenLifetimeSeconds).toBe(ORIGINAL_LIFETIME);
        expect(view.apis.localhost).toEqual({ allowWeb: true, jwe: false });
        expect((await loadAccount(instance.dir))?.tokenLifetimeSeconds).toBe(ORIGINAL_LIFETIME);
      }

      // An instance started now serves from its own file, degraded, until Redis is back.
      c = await startInstance(env);
      expect(await health(c)).toEqual(DEGRADED);
      expect(c.output()).toContain("redis not reachable at start");
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "Redis back, empty, on the same port: all recover within seconds, no restart",
    async () => {
      const session = await client;
      await redis.restart();
      await until("all three instances healthy", async () => {
        const all = await Promise.all([a, b, c as Instance].map(health));
        return all.every((h) => h.status === 200);
      });
      for (const instance of [a, b, c as Instance]) expect(await health(instance)).toEqual(HEALTHY);

      // Redis lost the account: re-seeded from an instance's last good one, which C takes.
      // Healthy only means Redis answers: C adopts the seeded account on its next sync.
      await until("C adopted the re-seeded account", async () => {
        return (await accountOf(c as Instance)).siteKey === siteKey;
      });
      expect((await loadAccount((c as Instance).dir))?.siteKey).toBe(siteKey);
      expect((await accountOf(a)).tokenLifetimeSeconds).toBe(ORIGINAL_LIFETIME);

      // Redis forgot the proofs it had seen: one used before the restart is still refused.
      const replayed = await expectErrorAnswer(
        await session.send(b, "/token", tokenForm(siteKey), usedProof),
        "token",
        400,
        ["aprv-invalid-dpop-token"],
      );
      expect(replayed.errors).toEqual({ "aprv-invalid-dpop-token": "replayed" });

      // New proofs pass again, and are refused when replayed across instances.
      const proof = await session.proof("/token");
      await sdkAnswer(await session.send(c as Instance, "/token", tokenForm(siteKey), proof));
      await expectErrorAnswer(
        await session.send(a, "/token", tokenForm(siteKey), proof),
        "token",
        400,
        ["aprv-invalid-dpop-token"],
      );
      expect((await postAttest(b, attestForm(siteKey, "localhost", LIMITED))).status).toBe(200);

      // Admin changes apply and reach every instance again.
      expect((await admin(b, "PUT", "/web/lifetimes", { tokenLifetimeSeconds: 50 })).status).toBe(
        200,
      );
      for (const instance of [a, c as Instance]) {
        await until(
          "the change reached every instance",
          async () => (await accountOf(instance)).tokenLifetimeSeconds === 50,
        );
      }
    },
    TEST_TIMEOUT_MS,
  );
});
