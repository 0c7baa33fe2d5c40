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
  startInstance,
  stopInstance,
  tokenForm,
  within,
} from "./helpers/scale-out.js";
import { type RunningSandbox, startSandbox } from "./helpers/start-sandbox.js";

/**
 * Redis killed under two running instances, then started again (empty) on the same port:
 * the documented fault behaviour, then recovery without restarting attest.
 */

/** A site with a rate limit (never reached here): its requests need Redis to be counted. */
const LIMITED = HCAPTCHA_TEST_KEYS.enterpriseSafeUser;
const ORIGINAL_LIFETIME = 120;

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
  await within(
    2000,
    async () => (await accountOf(b)).hcaptcha.sites[LIMITED.siteKey]?.rateLimit === 1000,
  );
}, 60_000);

afterAll(async () => {
  await Promise.all([stopInstance(a), stopInstance(b), stopInstance(c)]);
  await Promise.all([redis?.dispose(), sandbox?.stop()]);
});

async function health(instance: Instance): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${instance.url}/healthz`);
  return { status: res.status, body: await res.json() };
}

/** The answer and how long it took. */
async function timed(run: () => Promise<Response>): Promise<{ res: Response; ms: number }> {
  const started = Date.now();
  const res = await run();
  return { res, ms: Date.now() - started };
}

const DEGRADED = { status: 503, body: { status: "degraded", redis: "down" } };
const HEALTHY = { status: 200, body: { status: "ok", redis: "up" } };

describe("Redis down, then back", () => {
  const client = SessionClient.create();
  let siteKey: string;
  let refreshToken: string;
  let usedProof: string;

  it("while Redis is down: proofs fail closed (503), limited sites too, admin changes are refused, /attest works", async () => {
    const session = await client;
    siteKey = (await accountOf(a)).siteKey;
    const secret = (await loadAccount(a.dir))?.secret ?? "";
    // A session opened while Redis is up: its proof and refresh token are used below.
    await session.primeNonce(a);
    usedProof = await session.proof("/token");
    const opened = await sdkAnswer(await session.send(a, "/token", tokenForm(siteKey), usedProof));
    refreshToken = opened.refreshToken ?? "";

    await redis.stop();
    await within(3000, async () => {
      const [ha, hb] = await Promise.all([health(a), health(b)]);
      return ha.status === 503 && hb.status === 503;
    });
    expect(await health(a)).toEqual(DEGRADED);
    expect(await health(b)).toEqual(DEGRADED);

    // A fresh, otherwise valid proof: refused at once, never accepted unchecked.
    const proof = await session.proof("/token");
    const token = await timed(() => session.send(b, "/token", tokenForm(siteKey), proof));
    expect(token.ms).toBeLessThan(1500);
    expect(token.res.headers.get("retry-after")).toBe("1");
    expect(token.res.headers.get("dpop-nonce")).toBeTruthy();
    const body = await expectErrorAnswer(token.res, "token", 503, ["aprv-invalid-dpop-token"]);
    expect(body).toEqual({
      message: "Service Unavailable",
      errors: { "aprv-invalid-dpop-token": "replay check unavailable, try again" },
    });
    const refresh = await timed(async () =>
      session.send(
        a,
        "/refresh",
        [
          ["api", "localhost"],
          ["approov-site-key", siteKey],
          ["refresh-token", refreshToken],
        ],
        await session.proof("/refresh"),
      ),
    );
    expect(refresh.ms).toBeLessThan(1500);
    await expectErrorAnswer(refresh.res, "refresh", 503, ["aprv-invalid-dpop-token"]);

    // The plain flow needs no Redis: served, with a real token.
    const plain = await postAttest(a, attestForm(siteKey));
    expect(plain.status).toBe(200);
    await jwtVerify(await plain.text(), Buffer.from(secret, "base64"), { algorithms: ["HS256"] });

    // A rate-limited site cannot be counted: refused (fail closed), quickly.
    const limited = await timed(() => postAttest(b, attestForm(siteKey, "localhost", LIMITED)));
    expect(limited.ms).toBeLessThan(1500);
    expect(limited.res.headers.get("retry-after")).toBe("1");
    const limitedBody = await expectErrorAnswer(limited.res, "attest", 503, ["hcap-token-check"]);
    expect(limitedBody.errors["hcap-token-check"]).toBe("rate limit check unavailable, try again");

    // Admin changes: 503, nothing applied anywhere; the last good account keeps serving.
    const change = await timed(() =>
      admin(a, "PUT", "/web/lifetimes", { tokenLifetimeSeconds: 45 }),
    );
    expect(change.ms).toBeLessThan(1500);
    expect(change.res.status).toBe(503);
    expect(change.res.headers.get("retry-after")).toBe("1");
    expect(await change.res.json()).toEqual({
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
  });

  it("Redis back, empty, on the same port: all recover within seconds, no restart", async () => {
    const session = await client;
    await redis.restart();
    const tookMs = await within(5000, async () => {
      const all = await Promise.all([a, b, c as Instance].map(health));
      return all.every((h) => h.status === 200);
    });
    expect(tookMs).toBeLessThan(5000);
    for (const instance of [a, b, c as Instance]) expect(await health(instance)).toEqual(HEALTHY);

    // Redis lost the account: re-seeded from an instance's last good one, which C took.
    expect((await accountOf(c as Instance)).siteKey).toBe(siteKey);
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
      await within(2000, async () => (await accountOf(instance)).tokenLifetimeSeconds === 50);
    }
  });
});
