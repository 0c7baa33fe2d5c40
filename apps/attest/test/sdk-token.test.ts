import { createHash, randomBytes } from "node:crypto";
import type { ApproovErrorBody } from "@shapes/protocol";
import { decodeJwt, decodeProtectedHeader, errors as joseErrors } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CaptchaSiteConfig as HcaptchaSiteConfig } from "../src/integrations/siteverify/captcha-site.js";
import { sdkAnswer } from "./helpers/dpop-client.js";
import { expectErrorAnswer, recordErrorCodes } from "./helpers/error-codes.js";
import {
  BOT,
  expectSdkDecoy,
  PUBLISHER,
  SECOND_API,
  sdkApp,
  siteConfig,
  tokenForm,
  verifyApproovToken,
} from "./helpers/sdk-setup.js";
import { type RunningSandbox, startSandbox } from "./helpers/start-sandbox.js";
import { NOW_MS } from "./helpers/test-app.js";

/** A site of our own: the sandbox issues single-use tokens for it, tied to a page host. */
const OWN_SITE_KEY = "b0b0c0de-0000-4000-8000-00000000f00d";
const OWN_SITE_SECRET = `0x${randomBytes(20).toString("hex")}`;
const NOW_S = NOW_MS / 1000;

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.stop());

const app = (options: Parameters<typeof sdkApp>[0] = {}) =>
  sdkApp({
    siteverifyUrl: sandbox.siteverifyUrl,
    ...options,
    account: (account) => {
      account.hcaptcha.sites[OWN_SITE_KEY] = siteConfig({ secret: OWN_SITE_SECRET });
      options.account?.(account);
    },
  });

/** An app whose publisher test site has `changes`. */
const appWithPublisherSite = (changes: Partial<HcaptchaSiteConfig>) =>
  app({
    account: (a) => {
      a.hcaptcha.sites[PUBLISHER.siteKey] = siteConfig(changes);
    },
  });

describe("GET /nonce: a server nonce before the first proof", () => {
  it("answers 204 with a DPoP-Nonce that the first /token proof can carry", async () => {
    const { app: attest, account, client } = await app();
    const res = await attest.request("/nonce", { headers: { origin: "http://localhost:8000" } });
    expect(res.status).toBe(204);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("access-control-expose-headers")).toContain("DPoP-Nonce");
    const nonce = res.headers.get("dpop-nonce") as string;
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{22}$/);
    // No refusal first: the nonce from GET /nonce is accepted.
    const token = await client.send(
      attest,
      "/token",
      tokenForm(account),
      await client.proof("/token", { nonce }),
    );
    expect(token.status).toBe(200);
    expect((await attest.request("/nonce", { method: "POST" })).status).toBe(405);
  });
});

describe("POST /token: the nonce dance", () => {
  it("a first proof without a nonce: 400 aprv-invalid-nonce, a fresh DPoP-Nonce, use_dpop_nonce", async () => {
    const { app: attest, account, client, logs } = await app();
    const res = await client.send(
      attest,
      "/token",
      tokenForm(account),
      await client.proof("/token", { nonce: null }),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get("www-authenticate")).toBe('DPoP error="use_dpop_nonce"');
    expect(res.headers.get("dpop-nonce")).toMatch(/^[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{22}$/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({
      message: "Bad Request",
      errors: { "aprv-invalid-nonce": "missing" },
    });
    expect(logs.at(-1)).toMatchObject({
      msg: "token",
      outcome: "error",
      codes: ["aprv-invalid-nonce"],
    });
  });

  it("the refused first request does not spend the single-use hCaptcha token: the retry passes", async () => {
    const { app: attest, account, client } = await app();
    const { response } = await sandbox.execute(OWN_SITE_KEY, "localhost");
    const form = tokenForm(account, {
      "hcaptcha-site-key": OWN_SITE_KEY,
      "hcaptcha-token": response,
    });
    expect(client.nonce).toBeUndefined();
    const answer = await sdkAnswer(await client.post(attest, "/token", form));
    expect(client.sent).toHaveLength(2);
    const claims = await verifyApproovToken(answer.tokens.localhost ?? "", account, NOW_MS);
    expect(claims.embed?.[`hcap:${OWN_SITE_KEY}`]).toMatchObject({ hostname: "localhost" });
  });

  it("a nonce problem and parameter problems come back in one answer", async () => {
    const { app: attest, account, client } = await app();
    const res = await client.send(
      attest,
      "/token",
      tokenForm(account, { payload: "not base64url!" }, ["nope.example"]),
      await client.proof("/token", { nonce: null }),
    );
    const body = (await res.json()) as ApproovErrorBody;
    expect(res.status).toBe(400);
    expect(Object.keys(body.errors).sort()).toEqual([
      "aprv-api-not-found",
      "aprv-invalid-nonce",
      "aprv-payload-not-b64url",
    ]);
    expect(res.headers.get("www-authenticate")).toBe('DPoP error="use_dpop_nonce"');
  });
});

describe("POST /token against the real captcha sandbox", () => {
  it("publisher test key: tokens bound to the session key, a JWE refresh token, expiries", async () => {
    const { app: attest, account, client, logs } = await app();
    const res = await client.post(attest, "/token", tokenForm(account));
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("dpop-nonce")).toBeTruthy();
    const answer = await sdkAnswer(res);
    expect(Object.keys(answer).sort()).toEqual(["expiries", "refreshToken", "tokens"]);
    expect(Object.keys(answer.tokens)).toEqual(["localhost"]);

    const claims = await verifyApproovToken(answer.tokens.localhost ?? "", account, NOW_MS);
    expect(decodeProtectedHeader(answer.tokens.localhost ?? "")).toEqual({
      alg: "HS256",
      typ: "JWT",
    });
    expect(Object.keys(claims).sort()).toEqual(["arc", "cnf", "embed", "exp", "iat", "ip"]);
    expect(claims.cnf).toEqual({ jkt: client.jkt });
    expect(claims.iat).toBe(NOW_S);
    expect(claims.exp).toBe(NOW_S + account.tokenLifetimeSeconds);
    expect(claims.ip).toBe("203.0.113.7");
    expect(claims.embed).toEqual({
      [`hcap:${PUBLISHER.siteKey}`]: {
        challenge_ts: expect.any(String),
        hostname: "dummy-key-pass",
      },
    });

    // Opaque to the browser: a compact JWE, dir + A256GCM, nothing readable.
    const refresh = answer.refreshToken ?? "";
    expect(refresh.split(".")).toHaveLength(5);
    expect(decodeProtectedHeader(refresh)).toEqual({ alg: "dir", enc: "A256GCM" });
    expect(() => decodeJwt(refresh)).toThrow();

    const sessionEnd = (NOW_S + account.refreshTokenLifetimeSeconds) * 1000;
    expect(answer.expiries).toEqual({
      session: sessionEnd,
      [`hcap:${PUBLISHER.siteKey}`]: sessionEnd,
    });
    expect(logs.at(-1)).toEqual({
      time: new Date(NOW_MS).toISOString(),
      msg: "token",
      requestId: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/),
      arc: claims.arc,
      sid: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/),
      outcome: "valid",
      codes: [],
      api: ["localhost"],
      integration: "hcaptcha",
      status: 200,
      durationMs: expect.any(Number),
    });
  });

  it("a site with a shorter maxResultLifetimeSeconds shortens the session; a longer one does not", async () => {
    const short = await appWithPublisherSite({ maxResultLifetimeSeconds: 600 });
    const a1 = await sdkAnswer(
      await short.client.post(short.app, "/token", tokenForm(short.account)),
    );
    expect(a1.expiries).toEqual({
      session: (NOW_S + 600) * 1000,
      [`hcap:${PUBLISHER.siteKey}`]: (NOW_S + 600) * 1000,
    });

    const long = await appWithPublisherSite({ maxResultLifetimeSeconds: 9000 });
    const a2 = await sdkAnswer(await long.client.post(long.app, "/token", tokenForm(long.account)));
    expect(a2.expiries).toEqual({
      session: (NOW_S + long.account.refreshTokenLifetimeSeconds) * 1000,
      [`hcap:${PUBLISHER.siteKey}`]: (NOW_S + 9000) * 1000,
    });
  });

  it("a result lifetime shorter than the token lifetime caps the tokens' exp at the session end", async () => {
    const {
      app: attest,
      account,
      client,
    } = await appWithPublisherSite({ maxResultLifetimeSeconds: 30 });
    const answer = await sdkAnswer(await client.post(attest, "/token", tokenForm(account)));
    const claims = await verifyApproovToken(answer.tokens.localhost ?? "", account, NOW_MS);
    expect(account.tokenLifetimeSeconds).toBeGreaterThan(30);
    expect(claims.exp).toBe(NOW_S + 30);
    expect(answer.expiries.session).toBe((NOW_S + 30) * 1000);
  });

  it("several apis: one token each, all valid and bound", async () => {
    const { app: attest, account, client } = await app();
    const answer = await sdkAnswer(
      await client.post(attest, "/token", tokenForm(account, {}, ["localhost", SECOND_API])),
    );
    expect(Object.keys(answer.tokens).sort()).toEqual([SECOND_API, "localhost"].sort());
    for (const token of Object.values(answer.tokens)) {
      const claims = await verifyApproovToken(token, account, NOW_MS);
      expect(claims.cnf?.jkt).toBe(client.jkt);
    }
  });

  it("the aprv-api-* codes on /token", async () => {
    const { app: attest, account, client } = await app();
    const errorsFor = async (apis: string[]) => {
      const res = await client.post(attest, "/token", tokenForm(account, {}, apis));
      expect(res.status).toBe(400);
      const { errors } = (await res.json()) as ApproovErrorBody;
      recordErrorCodes("token", errors);
      return Object.keys(errors).sort();
    };
    expect(await errorsFor([])).toEqual(["aprv-api-no-targets"]);
    expect(await errorsFor([""])).toEqual(["aprv-api-empty-target"]);
    expect(await errorsFor(["localhost", "localhost"])).toEqual(["aprv-api-duplicate-target"]);
    expect(await errorsFor(["nope.example"])).toEqual(["aprv-api-not-found"]);
    expect(await errorsFor(["mobile-only.example"])).toEqual(["aprv-api-not-web-enabled"]);
    expect(await errorsFor(["a", "b", "c", "d"])).toEqual([
      "aprv-api-not-found",
      "aprv-api-too-many-targets",
    ]);
  });

  it("payload: every token carries pay = base64 SHA-256", async () => {
    const { app: attest, account, client } = await app();
    const digest = createHash("sha256").update("Bearer user-token").digest();
    const answer = await sdkAnswer(
      await client.post(
        attest,
        "/token",
        tokenForm(account, { payload: digest.toString("base64url") }, ["localhost", SECOND_API]),
      ),
    );
    for (const token of Object.values(answer.tokens)) {
      expect((await verifyApproovToken(token, account, NOW_MS)).pay).toBe(
        digest.toString("base64"),
      );
    }
  });

  it("hcaptcha-key and a matching hcaptcha-host: valid tokens", async () => {
    const { app: attest, account, client } = await app();
    const { response, key } = await sandbox.execute(OWN_SITE_KEY, "localhost");
    const form = tokenForm(account, {
      "hcaptcha-site-key": OWN_SITE_KEY,
      "hcaptcha-token": response,
      "hcaptcha-key": key,
      "hcaptcha-host": "LocalHost",
    });
    const answer = await sdkAnswer(await client.post(attest, "/token", form));
    await verifyApproovToken(answer.tokens.localhost ?? "", account, NOW_MS);
  });

  it("an hcaptcha-host with a trailing dot matches siteverify's hostname without one", async () => {
    const { app: attest, account, client, logs } = await app();
    const { response, key } = await sandbox.execute(OWN_SITE_KEY, "example.com");
    const form = tokenForm(account, {
      "hcaptcha-site-key": OWN_SITE_KEY,
      "hcaptcha-token": response,
      "hcaptcha-key": key,
      "hcaptcha-host": "Example.COM.",
    });
    const answer = await sdkAnswer(await client.post(attest, "/token", form));
    await verifyApproovToken(answer.tokens.localhost ?? "", account, NOW_MS);
    expect(logs.at(-1)).toMatchObject({ msg: "token", outcome: "valid" });
  });

  it("an hcaptcha-host that siteverify's hostname does not match: decoys, same shape", async () => {
    const { app: attest, account, client, logs } = await app();
    const { response } = await sandbox.execute(OWN_SITE_KEY, "evil.example");
    const form = tokenForm(account, {
      "hcaptcha-site-key": OWN_SITE_KEY,
      "hcaptcha-token": response,
      "hcaptcha-host": "localhost",
    });
    const answer = await sdkAnswer(await client.post(attest, "/token", form));
    expect(Object.keys(answer).sort()).toEqual(["expiries", "refreshToken", "tokens"]);
    const token = answer.tokens.localhost ?? "";
    await expectSdkDecoy(token, account, NOW_MS);
    expect(decodeJwt(token).cnf).toEqual({ jkt: client.jkt });
    expect(logs.at(-1)).toMatchObject({
      outcome: "invalid",
      reason: "hostname differs from hcaptcha-host",
    });
  });

  it("the enterprise bot key: decoy tokens, no hint in the answer", async () => {
    const { app: attest, account, client, logs } = await app();
    const answer = await sdkAnswer(
      await client.post(
        attest,
        "/token",
        tokenForm(account, { "hcaptcha-site-key": BOT.siteKey, "hcaptcha-token": BOT.response }),
      ),
    );
    await expect(
      verifyApproovToken(answer.tokens.localhost ?? "", account, NOW_MS),
    ).rejects.toBeInstanceOf(joseErrors.JWSSignatureVerificationFailed);
    expect(answer.expiries.session).toBe((NOW_S + account.refreshTokenLifetimeSeconds) * 1000);
    expect(logs.at(-1)).toMatchObject({ msg: "token", outcome: "invalid", reason: "min score" });
  });

  it("validates hcaptcha-key and hcaptcha-host, and wants them with the hCaptcha parameters", async () => {
    const { app: attest, account, client } = await app();
    const bad = await client.post(
      attest,
      "/token",
      tokenForm(account, { "hcaptcha-key": "x".repeat(3000), "hcaptcha-host": "not a host/" }),
    );
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      message: "Bad Request",
      errors: {
        "rqst-illegal-params":
          "hcaptcha-key: must be 1 to 2048 visible ASCII characters, hcaptcha-host: not a host name",
      },
    });
    const alone = await client.post(
      attest,
      "/token",
      tokenForm(account, {
        "hcaptcha-site-key": undefined,
        "hcaptcha-token": undefined,
        "hcaptcha-host": "localhost",
      }),
    );
    expect(((await alone.json()) as ApproovErrorBody).errors).toEqual({
      "hcap-param-mismatch": "hcaptcha-site-key is missing",
    });
  });

  it("refuses the refresh-token parameter on /token", async () => {
    const { app: attest, account, client } = await app();
    const res = await client.post(attest, "/token", tokenForm(account, { "refresh-token": "x" }));
    expect(((await res.json()) as ApproovErrorBody).errors).toEqual({
      "rqst-illegal-params": "refresh-token",
    });
  });

  it("502 hcap-token-check when siteverify refuses the site's secret (no tokens)", async () => {
    const { app: attest, account, client } = await appWithPublisherSite({ secret: "wrong" });
    const res = await client.post(attest, "/token", tokenForm(account));
    expect(res.headers.get("dpop-nonce")).toBeTruthy();
    const body = await expectErrorAnswer(res, "token", 502, ["hcap-token-check"]);
    expect(body).toEqual({
      message: "Bad Gateway",
      errors: { "hcap-token-check": "siteverify: invalid-input-secret" },
    });
  });
});

describe("POST /attest keeps its parameter set", () => {
  it("answers rqst-illegal-params for hcaptcha-key, hcaptcha-host and refresh-token", async () => {
    const { app: attest, account } = await app();
    const res = await attest.request("/attest", {
      method: "POST",
      body: new URLSearchParams([
        ...tokenForm(account, { "hcaptcha-key": "E0_abc", "hcaptcha-host": "localhost" }),
        ["refresh-token", "x"],
      ]),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      message: "Bad Request",
      errors: { "rqst-illegal-params": "hcaptcha-key, hcaptcha-host, refresh-token" },
    });
    expect(res.headers.get("dpop-nonce")).toBeNull();
  });
});
