import { readFile } from "node:fs/promises";
import { join } from "node:path";
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
  PUBLISHER,
  postAttest,
  SessionClient,
  startInstance,
  stopInstance,
  tokenForm,
  within,
} from "./helpers/scale-out.js";
import { type RunningSandbox, startSandbox } from "./helpers/start-sandbox.js";

/**
 * Two real attest processes (each with its own data directory) on one real redis-server:
 * what one instance did, the other knows.
 */

let redis: RunningRedis;
let sandbox: RunningSandbox;
let a: Instance;
let b: Instance;

beforeAll(async () => {
  [redis, sandbox] = await Promise.all([startRedis(), startSandbox()]);
  const env = instanceEnv(redis, sandbox);
  // A first: it seeds Redis from its file; B (a different file) must take A's account.
  a = await startInstance(env);
  b = await startInstance(env);
}, 60_000);

afterAll(async () => {
  await Promise.all([stopInstance(a), stopInstance(b)]);
  await Promise.all([redis?.dispose(), sandbox?.stop()]);
});

describe("two attest instances sharing one Redis", () => {
  it("start from one account: B takes Redis's (seeded by A) and rewrites its file", async () => {
    const [viewA, viewB] = await Promise.all([accountOf(a), accountOf(b)]);
    expect(viewB.siteKey).toBe(viewA.siteKey);
    const [fileA, fileB] = await Promise.all([loadAccount(a.dir), loadAccount(b.dir)]);
    expect(fileB?.siteKey).toBe(viewA.siteKey);
    expect(fileB?.secret).toBe(fileA?.secret);
    expect(fileB).toEqual(fileA);
    for (const instance of [a, b]) {
      const health = await fetch(`${instance.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: "ok", redis: "up" });
    }
    // The account's secrets are never printed, by either instance.
    expect(a.output() + b.output()).not.toContain(fileA?.secret);
    expect(b.output()).toContain('"msg":"shared account loaded"');
  });

  it("accept each other's nonces, and refuse a proof replayed across them", async () => {
    const { siteKey } = await accountOf(a);
    const client = await SessionClient.create();
    const form = tokenForm(siteKey);
    // The nonce comes from A; B accepts it: nonces are HMACs under a key every instance derives.
    await client.primeNonce(a);
    const proof = await client.proof("/token");
    const onB = await sdkAnswer(await client.send(b, "/token", form, proof));
    const secret = (await loadAccount(a.dir))?.secret ?? "";
    const { payload } = await jwtVerify(onB.tokens.localhost ?? "", Buffer.from(secret, "base64"));
    expect(payload.cnf).toEqual({ jkt: client.dpop.jkt });

    // The same proof, now at A: B remembered its jti in Redis.
    const replayed = await expectErrorAnswer(
      await client.send(a, "/token", form, proof),
      "token",
      400,
      ["aprv-invalid-dpop-token"],
    );
    expect(replayed.errors).toEqual({ "aprv-invalid-dpop-token": "replayed" });

    // And the other way round, on /refresh: the refresh token from B works at A.
    const refresh: [string, string][] = [
      ["api", "localhost"],
      ["approov-site-key", siteKey],
      ["refresh-token", onB.refreshToken ?? ""],
    ];
    const second = await client.proof("/refresh");
    await sdkAnswer(await client.send(a, "/refresh", refresh, second));
    const again = await expectErrorAnswer(
      await client.send(b, "/refresh", refresh, second),
      "refresh",
      400,
      ["aprv-invalid-dpop-token"],
    );
    expect(again.errors).toEqual({ "aprv-invalid-dpop-token": "replayed" });
  });

  it("share a site's rate limit: N requests over A and B pass, the next is refused on either", async () => {
    const { siteKey } = await accountOf(a);
    const limit = 4;
    const put = await admin(a, "PUT", `/web/hcaptcha/${PUBLISHER.siteKey}`, {
      secret: "0x0000000000000000000000000000000000000000",
      rateLimit: limit,
    });
    expect(put.status).toBe(200);
    await within(
      2000,
      async () => (await accountOf(b)).hcaptcha.sites[PUBLISHER.siteKey]?.rateLimit === limit,
    );

    const statuses: number[] = [];
    for (const instance of [a, b, a, b]) {
      statuses.push((await postAttest(instance, attestForm(siteKey))).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200]);
    for (const instance of [a, b]) {
      const refused = await postAttest(instance, attestForm(siteKey));
      const body = await expectErrorAnswer(refused, "attest", 429, ["hcap-token-check"]);
      expect(body.errors["hcap-token-check"]).toBe(
        `rate limit of ${limit} requests per minute exceeded`,
      );
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    }
    // Back to unlimited for the next tests.
    await admin(a, "PUT", `/web/hcaptcha/${PUBLISHER.siteKey}`, {
      secret: "0x0000000000000000000000000000000000000000",
    });
    await within(2000, async () => (await postAttest(b, attestForm(siteKey))).status === 200);
  });

  it("see an admin change made through the other within 2 s, in memory and in their file", async () => {
    const { siteKey } = await accountOf(a);
    expect((await postAttest(b, attestForm(siteKey, "localhost"))).status).toBe(200);
    // A second API, so that removing localhost leaves one (the error is then only not-found).
    expect((await admin(a, "PUT", "/apis/other.example", { allowWeb: true })).status).toBe(200);

    const lifetime = await admin(a, "PUT", "/web/lifetimes", { tokenLifetimeSeconds: 33 });
    expect(lifetime.status).toBe(200);
    const removed = await admin(a, "DELETE", "/apis/localhost");
    expect(removed.status).toBe(200);

    const tookMs = await within(2000, async () => {
      const res = await postAttest(b, attestForm(siteKey, "localhost"));
      if (res.status === 200) return false;
      await expectErrorAnswer(res, "attest", 400, ["aprv-api-not-found"]);
      return true;
    });
    expect(tookMs).toBeLessThan(2000);
    const viewB = await accountOf(b);
    expect(viewB.tokenLifetimeSeconds).toBe(33);
    expect(viewB.apis.localhost).toBeUndefined();
    await within(2000, async () => (await loadAccount(b.dir))?.tokenLifetimeSeconds === 33);
    expect((await loadAccount(b.dir))?.apis.localhost).toBeUndefined();

    // B's change comes back to A the same way; A's answer reflects it.
    expect((await admin(b, "PUT", "/apis/localhost", { allowWeb: true })).status).toBe(200);
    await within(2000, async () => (await postAttest(a, attestForm(siteKey))).status === 200);
    const token = await (await postAttest(a, attestForm(siteKey))).text();
    const [, payload = ""] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as {
      iat: number;
      exp: number;
    };
    expect(claims.exp - claims.iat).toBe(33);
  });

  it("apply concurrent changes made through both instances, none lost", async () => {
    const domains = Array.from({ length: 12 }, (_, i) => `concurrent-${i}.example`);
    const answers = await Promise.all(
      domains.map((domain, i) =>
        admin(i % 2 === 0 ? a : b, "PUT", `/apis/${domain}`, { allowWeb: true }),
      ),
    );
    expect(answers.map((res) => res.status)).toEqual(domains.map(() => 200));
    for (const instance of [a, b]) {
      await within(2000, async () => {
        const { apis } = await accountOf(instance);
        return domains.every((domain) => apis[domain]?.allowWeb === true);
      });
    }
    const text = await readFile(join(a.dir, "account.json"), "utf8");
    for (const domain of domains) expect(text).toContain(domain);
  });
});
