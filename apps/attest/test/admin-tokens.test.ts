import { createHash } from "node:crypto";
import { HCAPTCHA_TEST_KEYS } from "@shapes/protocol";
import {
  createApproovTokenVerifier,
  decodeApproovEncryptionSecret,
  decodeApproovSecret,
} from "@shapes/verifier";
import { decodeProtectedHeader, jwtDecrypt, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../src/account/account.js";
import { TestClock } from "./helpers/sdk-setup.js";
import {
  RECORDER_ANSWER,
  type SiteverifyRecorder,
  siteverifyRecorder,
} from "./helpers/siteverify-recorder.js";
import { adminCall, adminOk, postAttest, testApp } from "./helpers/test-app.js";

const PUBLISHER = HCAPTCHA_TEST_KEYS.publisher;
const JWE_API = "secure.shapes.example";

let recorder: SiteverifyRecorder;
beforeAll(async () => {
  recorder = await siteverifyRecorder();
});
afterAll(() => recorder?.close());

function app() {
  const clock = new TestClock();
  const test = testApp({
    now: clock.now,
    settings: { hcaptchaSiteverifyUrl: recorder.url },
    account: (a) => {
      a.apis[JWE_API] = { allowWeb: true, jwe: true };
    },
  });
  return { ...test, clock };
}

const example = async (test: ReturnType<typeof app>, body: Record<string, unknown>) =>
  (await adminOk<{ token: string }>(test.app, "POST", "/tokens/example", body)).token;

const check = (test: ReturnType<typeof app>, token: unknown) =>
  adminOk<{ valid: boolean; claims?: Record<string, unknown>; reason?: string }>(
    test.app,
    "POST",
    "/tokens/check",
    { token },
  );

const key = (account: Account) => Buffer.from(account.secret, "base64");
const encKey = (account: Account) => Buffer.from(account.encryptionSecret, "base64");

describe("POST /admin/v1/tokens/example", () => {
  it("issues a valid HS256 token for a registered API, as a backend verifies it", async () => {
    const test = app();
    const token = await example(test, { api: "localhost" });
    expect(decodeProtectedHeader(token)).toEqual({ alg: "HS256", typ: "JWT" });
    const { payload } = await jwtVerify(token, key(test.account), {
      algorithms: ["HS256"],
      currentDate: new Date(test.clock.ms),
    });
    expect(payload).toEqual({
      iat: test.clock.seconds,
      exp: test.clock.seconds + 120,
      ip: "127.0.0.1",
      arc: expect.stringMatching(/^[A-Z2-7]{10}$/),
      embed: {},
    });
  });

  it("binds the token to dataHash: pay = base64 SHA-256 of the value", async () => {
    const test = app();
    const token = await example(test, { api: "localhost", dataHash: "Bearer user-token" });
    const { payload } = await jwtVerify(token, key(test.account), {
      currentDate: new Date(test.clock.ms),
    });
    expect(payload.pay).toBe(createHash("sha256").update("Bearer user-token").digest("base64"));
  });

  it("issues a JWE (A256GCMKW + A256GCM) for an API added with -jwe, with the current lifetime", async () => {
    const test = app();
    await adminOk(test.app, "PUT", "/web/lifetimes", { tokenLifetimeSeconds: 45 });
    const token = await example(test, { api: JWE_API });
    expect(token.split(".")).toHaveLength(5);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: "A256GCMKW", enc: "A256GCM" });
    const { payload } = await jwtDecrypt(token, encKey(test.account), {
      keyManagementAlgorithms: ["A256GCMKW"],
      contentEncryptionAlgorithms: ["A256GCM"],
      currentDate: new Date(test.clock.ms),
    });
    expect(payload.exp).toBe(test.clock.seconds + 45);
    expect(payload.embed).toEqual({});
    // The backend's verifier, configured like shapes-api, accepts both forms.
    const verify = createApproovTokenVerifier({
      secret: decodeApproovSecret(test.account.secret),
      encryptionSecret: decodeApproovEncryptionSecret(test.account.encryptionSecret),
      now: test.clock.now,
    });
    await expect(verify(token)).resolves.toMatchObject({ ip: "127.0.0.1" });
    await expect(verify(await example(test, { api: "localhost" }))).resolves.toMatchObject({
      embed: {},
    });
  });

  it("answers 404 for an API that is not registered and 400 for bad input", async () => {
    const test = app();
    const notFound = await adminCall(test.app, "POST", "/tokens/example", { api: "nope.example" });
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toEqual({ error: 'api "nope.example" not found' });
    const noApi = await adminCall(test.app, "POST", "/tokens/example", {});
    expect(await noApi.json()).toEqual({ error: "api must be a string", field: "api" });
    const badHash = await adminCall(test.app, "POST", "/tokens/example", {
      api: "localhost",
      dataHash: 5,
    });
    expect(badHash.status).toBe(400);
    expect(((await badHash.json()) as { field?: string }).field).toBe("dataHash");
  });
});

describe("POST /admin/v1/tokens/check", () => {
  it("accepts this account's JWS and JWE tokens and answers their claims", async () => {
    const test = app();
    const jws = await check(test, await example(test, { api: "localhost", dataHash: "x" }));
    expect(jws.valid).toBe(true);
    expect(jws.claims).toMatchObject({ ip: "127.0.0.1", embed: {}, exp: test.clock.seconds + 120 });
    const jwe = await check(test, await example(test, { api: JWE_API }));
    expect(jwe).toMatchObject({ valid: true, claims: { ip: "127.0.0.1" } });
  });

  it("says why a token is not valid: signature, expired, malformed", async () => {
    const test = app();
    const token = await example(test, { api: "localhost" });
    const [head, body, sig] = token.split(".");
    const flipped = `${sig?.slice(0, -2)}${sig?.endsWith("AA") ? "BA" : "AA"}`;
    expect(await check(test, `${head}.${body}.${flipped}`)).toEqual({
      valid: false,
      reason: "signature",
    });
    const other = app();
    expect(await check(test, await example(other, { api: "localhost" }))).toEqual({
      valid: false,
      reason: "signature",
    });
    expect(await check(test, await example(other, { api: JWE_API }))).toEqual({
      valid: false,
      reason: "signature",
    });
    expect(await check(test, "not.a-token")).toEqual({ valid: false, reason: "malformed" });
    test.clock.advance(121 + 2);
    expect(await check(test, token)).toEqual({ valid: false, reason: "expired" });
    const empty = await adminCall(test.app, "POST", "/tokens/check", { token: "" });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toEqual({
      error: "token must be a non-empty string",
      field: "token",
    });
  });

  it("does not accept decoys (JWS or JWE) from a failed check", async () => {
    const test = app();
    recorder.answer = { success: false, "error-codes": ["invalid-input-response"] };
    try {
      for (const api of ["localhost", JWE_API]) {
        const res = await postAttest(test.app, [
          ["api", api],
          ["approov-site-key", test.account.siteKey],
          ["hcaptcha-site-key", PUBLISHER.siteKey],
          ["hcaptcha-token", "whatever"],
        ]);
        expect(res.status).toBe(200);
        const decoy = await res.text();
        expect(decoy.split(".")).toHaveLength(api === JWE_API ? 5 : 3);
        expect(await check(test, decoy)).toEqual({ valid: false, reason: "signature" });
      }
    } finally {
      recorder.answer = { ...RECORDER_ANSWER };
    }
  });
});
