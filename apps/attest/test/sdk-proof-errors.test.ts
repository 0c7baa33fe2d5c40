import { createHmac, randomBytes } from "node:crypto";
import type { ApproovErrorBody } from "@shapes/protocol";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sdkAnswer } from "./helpers/dpop-client.js";
import { type Flow, recordErrorCodes } from "./helpers/error-codes.js";
import { refreshForm, sdkApp, tokenForm } from "./helpers/sdk-setup.js";
import { type RunningSandbox, startSandbox } from "./helpers/start-sandbox.js";
import { WEB_ORIGIN } from "./helpers/test-app.js";

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.stop());

const app = (options: Parameters<typeof sdkApp>[0] = {}) =>
  sdkApp({ siteverifyUrl: sandbox.siteverifyUrl, ...options });

/** An app with a client that already holds a server nonce. */
async function primed(options: Parameters<typeof sdkApp>[0] = {}) {
  const setup = await app(options);
  const res = await setup.client.send(setup.app, "/token", [], undefined);
  expect(res.headers.get("dpop-nonce")).toBeTruthy();
  return setup;
}

/** A 400 answer's errors, recorded for the error table. */
async function errorsOf(res: Response, flow: Flow = "token"): Promise<ApproovErrorBody["errors"]> {
  expect(res.status).toBe(400);
  expect(res.headers.get("dpop-nonce")).toBeTruthy();
  const { errors } = (await res.json()) as ApproovErrorBody;
  recordErrorCodes(flow, errors);
  return errors;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("DPoP nonces (aprv-invalid-nonce)", () => {
  it("missing, forged and expired nonces; each answer brings a fresh nonce", async () => {
    const { app: attest, account, client, clock } = await primed();
    const form = tokenForm(account);
    const send = async (nonce: string | null) =>
      client.send(attest, "/token", form, await client.proof("/token", { nonce }));

    const missing = await send(null);
    expect(await errorsOf(missing)).toEqual({ "aprv-invalid-nonce": "missing" });
    expect(missing.headers.get("www-authenticate")).toBe('DPoP error="use_dpop_nonce"');

    const real = client.nonce ?? "";
    const [body = "", mac = ""] = real.split(".");
    const flipped = `${body}.${mac.startsWith("A") ? "B" : "A"}${mac.slice(1)}`;
    expect(await errorsOf(await send(flipped))).toEqual({ "aprv-invalid-nonce": "not issued" });
    // Well-formed and signed, but with a key that is not this account's.
    const otherMac = createHmac("sha256", randomBytes(32)).update(body).digest().subarray(0, 16);
    expect(await errorsOf(await send(`${body}.${otherMac.toString("base64url")}`))).toEqual({
      "aprv-invalid-nonce": "not issued",
    });
    expect(await errorsOf(await send("not-a-nonce"))).toEqual({
      "aprv-invalid-nonce": "not issued",
    });

    const old = client.nonce ?? "";
    expect(old).not.toBe(real);
    clock.advance(301);
    expect(await errorsOf(await send(old))).toEqual({ "aprv-invalid-nonce": "expired" });
    // The fresh nonce of that answer works (publisher key: a session starts).
    await sdkAnswer(await send(client.nonce ?? ""));
  });

  it("honours DPOP_NONCE_LIFETIME_SECONDS", async () => {
    const {
      app: attest,
      account,
      client,
      clock,
    } = await primed({
      sdk: { dpopNonceLifetimeSeconds: 60 },
    });
    clock.advance(61);
    const res = await client.send(
      attest,
      "/token",
      tokenForm(account),
      await client.proof("/token"),
    );
    expect(await errorsOf(res)).toEqual({ "aprv-invalid-nonce": "expired" });
  });
});

describe("DPoP proofs (aprv-invalid-dpop-token)", () => {
  it("a missing DPoP header", async () => {
    const { app: attest, account, client } = await primed();
    const res = await client.send(attest, "/token", tokenForm(account), undefined);
    expect(await errorsOf(res)).toEqual({ "aprv-invalid-dpop-token": "missing" });
    expect(res.headers.get("www-authenticate")).toBeNull();
  });

  it("a replayed proof", async () => {
    const { app: attest, account, client } = await primed();
    const proof = await client.proof("/token");
    await sdkAnswer(await client.send(attest, "/token", tokenForm(account), proof));
    const again = await client.send(attest, "/token", tokenForm(account), proof);
    expect(await errorsOf(again)).toEqual({ "aprv-invalid-dpop-token": "replayed" });
  });

  it("wrong htu, wrong htm, stale and future iat", async () => {
    const { app: attest, account, client, clock } = await primed();
    const send = async (options: Parameters<typeof client.proof>[1]) =>
      errorsOf(
        await client.send(
          attest,
          "/token",
          tokenForm(account),
          await client.proof("/token", options),
        ),
      );
    expect(await send({ htu: "http://localhost/refresh" })).toEqual({
      "aprv-invalid-dpop-token": "htu-mismatch",
    });
    expect(await send({ htu: "http://attest.example/token" })).toEqual({
      "aprv-invalid-dpop-token": "htu-mismatch",
    });
    expect(await send({ htm: "GET" })).toEqual({ "aprv-invalid-dpop-token": "htm-mismatch" });
    expect(await send({ iat: clock.seconds - 301 })).toEqual({
      "aprv-invalid-dpop-token": "iat-stale",
    });
    expect(await send({ iat: clock.seconds + 60 })).toEqual({
      "aprv-invalid-dpop-token": "iat-future",
    });
  });

  it("an htu that differs only by case and default port is the same URL", async () => {
    const { app: attest, account, client } = await primed();
    const proof = await client.proof("/token", { htu: "HTTP://LocalHost:80/token" });
    await sdkAnswer(await client.send(attest, "/token", tokenForm(account), proof));
  });

  it("DPOP_MAX_AGE_SECONDS sets the iat window", async () => {
    const {
      app: attest,
      account,
      client,
      clock,
    } = await primed({ sdk: { dpopMaxAgeSeconds: 30 } });
    const res = await client.send(
      attest,
      "/token",
      tokenForm(account),
      await client.proof("/token", { iat: clock.seconds - 31 }),
    );
    expect(await errorsOf(res)).toEqual({ "aprv-invalid-dpop-token": "iat-stale" });
  });

  it("a bad signature, alg none, HS256, a wrong typ and a private jwk", async () => {
    const { app: attest, account, client, clock } = await primed();
    const send = async (proof: string) =>
      errorsOf(await client.send(attest, "/token", tokenForm(account), proof));
    const claims = () => ({
      jti: randomBytes(16).toString("base64url"),
      htm: "POST",
      htu: "http://localhost/token",
      iat: clock.seconds,
      nonce: client.nonce,
    });

    // Signed by another key while naming the client's public key.
    const other = await generateKeyPair("ES256", { extractable: true });
    const forged = await new SignJWT(claims())
      .setProtectedHeader({ typ: "dpop+jwt", alg: "ES256", jwk: client.jwk })
      .sign(other.privateKey);
    expect(await send(forged)).toEqual({ "aprv-invalid-dpop-token": "bad-signature" });

    const none = `${b64({ typ: "dpop+jwt", alg: "none", jwk: client.jwk })}.${b64(claims())}.`;
    expect(await send(none)).toEqual({ "aprv-invalid-dpop-token": "bad-alg" });

    const hs256 = await new SignJWT(claims())
      .setProtectedHeader({ typ: "dpop+jwt", alg: "HS256", jwk: client.jwk })
      .sign(randomBytes(32));
    expect(await send(hs256)).toEqual({ "aprv-invalid-dpop-token": "bad-alg" });

    expect(await send(await client.proof("/token", { header: { typ: "JWT" } }))).toEqual({
      "aprv-invalid-dpop-token": "bad-typ",
    });

    const withPrivate = { ...(await exportJWK(other.privateKey)) };
    const leaky = await new SignJWT(claims())
      .setProtectedHeader({ typ: "dpop+jwt", alg: "ES256", jwk: withPrivate })
      .sign(other.privateKey);
    expect(await send(leaky)).toEqual({ "aprv-invalid-dpop-token": "private-key" });

    expect(await send("a.b")).toEqual({ "aprv-invalid-dpop-token": "malformed" });
  });

  it("a proof for /token is not one for /refresh", async () => {
    const { app: attest, account, client } = await primed();
    const first = await sdkAnswer(await client.post(attest, "/token", tokenForm(account)));
    const res = await client.send(
      attest,
      "/refresh",
      refreshForm(account, first.refreshToken),
      await client.proof("/token"),
    );
    expect(await errorsOf(res, "refresh")).toEqual({ "aprv-invalid-dpop-token": "htu-mismatch" });
  });

  it("/refresh wants the nonce dance too", async () => {
    const { app: attest, account, client } = await primed();
    const first = await sdkAnswer(await client.post(attest, "/token", tokenForm(account)));
    const form = refreshForm(account, first.refreshToken);
    const missing = await client.send(
      attest,
      "/refresh",
      form,
      await client.proof("/refresh", { nonce: null }),
    );
    expect(await errorsOf(missing, "refresh")).toEqual({ "aprv-invalid-nonce": "missing" });
    expect(missing.headers.get("www-authenticate")).toBe('DPoP error="use_dpop_nonce"');
    // The fresh nonce of that answer works.
    await sdkAnswer(await client.send(attest, "/refresh", form, await client.proof("/refresh")));
  });

  it("a full replay store fails closed (REPLAY_CACHE_MAX)", async () => {
    const { app: attest, account, client } = await primed({ sdk: { replayCacheMax: 1 } });
    await sdkAnswer(await client.post(attest, "/token", tokenForm(account)));
    const res = await client.send(
      attest,
      "/token",
      tokenForm(account),
      await client.proof("/token"),
    );
    expect(await errorsOf(res)).toEqual({ "aprv-invalid-dpop-token": "replayed" });
  });
});

describe("ATTEST_PUBLIC_ORIGIN", () => {
  it("compares htu with the public origin, not the URL the request arrived on", async () => {
    const {
      app: attest,
      account,
      client,
    } = await primed({
      sdk: { publicOrigin: "https://attest.example.com" },
      origin: "https://attest.example.com",
    });
    await sdkAnswer(await client.post(attest, "/token", tokenForm(account)));
    const internal = await client.proof("/token", { htu: "http://localhost/token" });
    expect(
      await errorsOf(await client.send(attest, "/token", tokenForm(account), internal)),
    ).toEqual({
      "aprv-invalid-dpop-token": "htu-mismatch",
    });
  });
});

describe("CORS and methods on the SDK endpoints", () => {
  it("a preflight for /token and /refresh allows DPoP; answers expose DPoP-Nonce", async () => {
    const { app: attest, account, client } = await app();
    for (const path of ["/token", "/refresh"]) {
      const res = await attest.request(path, {
        method: "OPTIONS",
        headers: {
          origin: WEB_ORIGIN,
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type, dpop",
        },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get("access-control-allow-origin")).toBe(WEB_ORIGIN);
      expect(res.headers.get("access-control-allow-headers")).toContain("DPoP");
      expect(res.headers.get("access-control-allow-methods")).toContain("POST");
    }
    const res = await attest.request("/token", {
      method: "POST",
      body: new URLSearchParams(tokenForm(account)),
      headers: { origin: WEB_ORIGIN, DPoP: await client.proof("/token", { nonce: null }) },
    });
    expect(res.headers.get("access-control-allow-origin")).toBe(WEB_ORIGIN);
    expect(res.headers.get("access-control-expose-headers")).toBe("DPoP-Nonce,WWW-Authenticate");
    expect(res.headers.get("dpop-nonce")).toBeTruthy();
  });

  it("other origins get no CORS grant", async () => {
    const { app: attest } = await app();
    const res = await attest.request("/token", {
      method: "OPTIONS",
      headers: { origin: "http://evil.example", "access-control-request-method": "POST" },
    });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("GET /token and /refresh: 405 with a nonce; nonces differ per answer", async () => {
    const { app: attest } = await app();
    const a = await attest.request("/token");
    const b = await attest.request("/refresh");
    for (const res of [a, b]) {
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("POST");
    }
    expect(a.headers.get("dpop-nonce")).toBeTruthy();
    expect(a.headers.get("dpop-nonce")).not.toBe(b.headers.get("dpop-nonce"));
    expect((await attest.request("/healthz")).headers.get("dpop-nonce")).toBeNull();
  });
});
