import { randomBytes } from "node:crypto";
import { type ApproovErrorBody, HCAPTCHA_TEST_KEYS } from "@shapes/protocol";
import { decodeJwt, decodeProtectedHeader, jwtDecrypt } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Account } from "../src/account/account.js";
import { sdkAnswer } from "./helpers/dpop-client.js";
import { recordErrorCodes } from "./helpers/error-codes.js";
import {
  PUBLISHER,
  refreshForm,
  SECOND_API,
  sdkApp,
  tokenForm,
  verifyApproovToken,
} from "./helpers/sdk-setup.js";
import {
  RECORDER_ANSWER,
  type SiteverifyRecorder,
  siteverifyRecorder,
} from "./helpers/siteverify-recorder.js";
import { type RunningSandbox, startSandbox } from "./helpers/start-sandbox.js";
import { adminOk, postAttest } from "./helpers/test-app.js";

/**
 * Every account property takes effect, changed through the admin API on a running app:
 * the next /attest, /token or /refresh request obeys it.
 */

const SITE = `hcap:${PUBLISHER.siteKey}`;
/** A site of our own: the sandbox issues real single-use tokens for it, tied to a page host. */
const OWN_SITE_KEY = "c0ffee00-0000-4000-8000-0000000000aa";
const OWN_SITE_SECRET = `0x${randomBytes(20).toString("hex")}`;

let recorder: SiteverifyRecorder;
let sandbox: RunningSandbox;
beforeAll(async () => {
  [recorder, sandbox] = await Promise.all([siteverifyRecorder(), startSandbox()]);
});
afterAll(async () => {
  await Promise.all([recorder?.close(), sandbox?.stop()]);
});
beforeEach(() => {
  recorder.forms.length = 0;
  recorder.answer = { ...RECORDER_ANSWER };
});

/** The test app on a movable clock, checking human results with the recorder (or the sandbox). */
const app = (upstream: "recorder" | "sandbox" = "recorder") =>
  sdkApp({ siteverifyUrl: upstream === "recorder" ? recorder.url : sandbox.siteverifyUrl });

type Test = Awaited<ReturnType<typeof app>>;

const attestForm = (
  account: Account,
  changes: Record<string, string | undefined> = {},
  apis = ["localhost"],
) => tokenForm(account, changes, apis);

async function attestToken(test: Test, form = attestForm(test.account)): Promise<string> {
  const res = await postAttest(test.app, form);
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  return res.text();
}

/** An /attest error answer, its codes recorded for the error table. */
async function attestErrors(test: Test, form: [string, string][]) {
  const res = await postAttest(test.app, form);
  const body = (await res.json()) as ApproovErrorBody;
  recordErrorCodes("attest", body.errors);
  return { status: res.status, body, res };
}

/** Whether the token verifies with the account secret (a decoy does not). */
async function isValid(test: Test, token: string): Promise<boolean> {
  return verifyApproovToken(token, test.account, test.clock.ms).then(
    () => true,
    () => false,
  );
}

async function decrypt(test: Test, token: string) {
  const { payload } = await jwtDecrypt(
    token,
    Buffer.from(test.account.encryptionSecret, "base64"),
    {
      keyManagementAlgorithms: ["A256GCMKW"],
      contentEncryptionAlgorithms: ["A256GCM"],
      currentDate: new Date(test.clock.ms),
    },
  );
  return payload;
}

const putSite = (test: Test, key: string, entry: Record<string, unknown>) =>
  adminOk(test.app, "PUT", `/web/hcaptcha/${key}`, {
    secret: "0x0000000000000000000000000000000000000000",
    ...entry,
  });

describe("lifetimes", () => {
  it("tokenLifetimeSeconds sets the exp of the next tokens (/attest and /token)", async () => {
    const test = await app();
    const before = decodeJwt(await attestToken(test));
    expect(before.exp).toBe(test.clock.seconds + 120);
    await adminOk(test.app, "PUT", "/web/lifetimes", { tokenLifetimeSeconds: 30 });
    expect(decodeJwt(await attestToken(test)).exp).toBe(test.clock.seconds + 30);
    const answer = await sdkAnswer(
      await test.client.post(test.app, "/token", tokenForm(test.account)),
    );
    expect(decodeJwt(answer.tokens.localhost ?? "").exp).toBe(test.clock.seconds + 30);
  });

  it("refreshTokenLifetimeSeconds sets the session end of new sessions", async () => {
    const test = await app();
    await adminOk(test.app, "PUT", "/web/lifetimes", { refreshTokenLifetimeSeconds: 600 });
    const start = test.clock.seconds;
    const answer = await sdkAnswer(
      await test.client.post(test.app, "/token", tokenForm(test.account)),
    );
    expect(answer.expiries.session).toBe((start + 600) * 1000);
    test.clock.advance(599);
    const refreshed = await test.client.post(
      test.app,
      "/refresh",
      refreshForm(test.account, answer.refreshToken),
    );
    expect(refreshed.status).toBe(200);
    test.clock.advance(2);
    const ended = await test.client.post(
      test.app,
      "/refresh",
      refreshForm(test.account, answer.refreshToken),
    );
    expect(await ended.json()).toEqual({
      message: "Bad Request",
      errors: { "aprv-invalid-refresh-token": "expired" },
    });
  });
});

describe("apis", () => {
  it("allowWeb off refuses the API (aprv-api-not-web-enabled), on again serves it", async () => {
    const test = await app();
    await adminOk(test.app, "PUT", "/apis/localhost", { allowWeb: false });
    const off = await attestErrors(test, attestForm(test.account));
    expect(off.status).toBe(400);
    expect(off.body.errors).toEqual({ "aprv-api-not-web-enabled": "localhost" });
    await adminOk(test.app, "PUT", "/apis/localhost", { allowWeb: true });
    expect(await isValid(test, await attestToken(test))).toBe(true);
  });

  it("a removed API is not found; a newly added one is served at once", async () => {
    const test = await app();
    await adminOk(test.app, "DELETE", `/apis/${SECOND_API}`);
    const gone = await attestErrors(test, attestForm(test.account, {}, [SECOND_API]));
    expect(gone.body.errors).toEqual({ "aprv-api-not-found": SECOND_API });
    await adminOk(test.app, "PUT", "/apis/new.shapes.example", { allowWeb: true });
    const token = await attestToken(test, attestForm(test.account, {}, ["new.shapes.example"]));
    expect(await isValid(test, token)).toBe(true);
  });
});

describe("hCaptcha site properties", () => {
  it("optional false requires hCaptcha parameters (hcap-missing-required-params)", async () => {
    const test = await app();
    const withoutHcaptcha = attestForm(test.account, {
      "hcaptcha-site-key": undefined,
      "hcaptcha-token": undefined,
      "recaptcha-site-key": "k",
      "recaptcha-token": "t",
    });
    const optional = await attestErrors(test, withoutHcaptcha);
    expect(Object.keys(optional.body.errors)).toEqual(["recap-site-key-not-found"]);
    await adminOk(test.app, "PUT", "/web/hcaptcha/optional", { optional: false });
    const required = await attestErrors(test, withoutHcaptcha);
    expect(Object.keys(required.body.errors).sort()).toEqual([
      "hcap-missing-required-params",
      "recap-site-key-not-found",
    ]);
  });

  it("domains: the result's hostname (subdomains stripped by hCaptcha) must be listed", async () => {
    const test = await app("sandbox");
    const form = async () => {
      const { response } = await sandbox.execute(OWN_SITE_KEY, "www.shapes.example");
      return attestForm(test.account, {
        "hcaptcha-site-key": OWN_SITE_KEY,
        "hcaptcha-token": response,
      });
    };
    const own = { secret: OWN_SITE_SECRET };
    await putSite(test, OWN_SITE_KEY, { ...own, domains: ["shapes.example"] });
    const listed = await attestToken(test, await form());
    expect(await isValid(test, listed)).toBe(true);
    expect(decodeJwt(listed).embed).toEqual({
      [`hcap:${OWN_SITE_KEY}`]: { challenge_ts: expect.any(String), hostname: "shapes.example" },
    });
    // The page host itself is not what hCaptcha reports: listing it refuses the result.
    await putSite(test, OWN_SITE_KEY, { ...own, domains: ["www.shapes.example"] });
    expect(await isValid(test, await attestToken(test, await form()))).toBe(false);
    expect(test.logs.at(-1)).toMatchObject({ outcome: "invalid", reason: "hostname not allowed" });
    await putSite(test, OWN_SITE_KEY, own);
    expect(await isValid(test, await attestToken(test, await form()))).toBe(true);
  });

  it("minScore: the bot test key is refused at 0.5 and accepted at 0", async () => {
    const test = await app("sandbox");
    const { enterpriseBotDetected: bot } = HCAPTCHA_TEST_KEYS;
    const form = attestForm(test.account, {
      "hcaptcha-site-key": bot.siteKey,
      "hcaptcha-token": bot.response,
    });
    expect(await isValid(test, await attestToken(test, form))).toBe(false);
    expect(test.logs.at(-1)).toMatchObject({ reason: "min score" });
    await putSite(test, bot.siteKey, { minScore: 0 });
    expect(await isValid(test, await attestToken(test, form))).toBe(true);
    await putSite(test, bot.siteKey, { minScore: 0.01 });
    expect(await isValid(test, await attestToken(test, form))).toBe(false);
  });

  it("includeIP: remoteip (the client IP) is sent to siteverify only when set", async () => {
    const test = await app();
    await attestToken(test);
    expect(recorder.forms.at(-1)?.has("remoteip")).toBe(false);
    await putSite(test, PUBLISHER.siteKey, { includeIP: true });
    await attestToken(test);
    expect(recorder.forms.at(-1)?.get("remoteip")).toBe("203.0.113.7");
    expect(recorder.forms.at(-1)?.get("sitekey")).toBe(PUBLISHER.siteKey);
  });

  it("maxResultLifetimeSeconds shortens the sessions started after the change", async () => {
    const test = await app();
    await putSite(test, PUBLISHER.siteKey, { maxResultLifetimeSeconds: 300 });
    const start = test.clock.seconds;
    const answer = await sdkAnswer(
      await test.client.post(test.app, "/token", tokenForm(test.account)),
    );
    expect(answer.expiries).toEqual({
      session: (start + 300) * 1000,
      [SITE]: (start + 300) * 1000,
    });
  });

  it("a removed site is not found (hcap-site-key-not-found)", async () => {
    const test = await app();
    await adminOk(test.app, "DELETE", `/web/hcaptcha/${PUBLISHER.siteKey}`);
    const { body } = await attestErrors(test, attestForm(test.account));
    expect(body.errors).toEqual({ "hcap-site-key-not-found": PUBLISHER.siteKey });
  });
});

describe("rateLimit", () => {
  it("counts /attest and /token per site key before siteverify; over the limit: 429", async () => {
    const test = await app();
    await putSite(test, PUBLISHER.siteKey, { rateLimit: 2 });
    await attestToken(test);
    await sdkAnswer(await test.client.post(test.app, "/token", tokenForm(test.account)));
    expect(recorder.forms).toHaveLength(2);

    const over = await attestErrors(test, attestForm(test.account));
    expect(over.status).toBe(429);
    expect(over.body).toEqual({
      message: "Too Many Requests",
      errors: { "hcap-token-check": "rate limit of 2 requests per minute exceeded" },
    });
    expect(over.res.headers.get("retry-after")).toBe("30");
    const overToken = await test.client.post(test.app, "/token", tokenForm(test.account));
    expect(overToken.status).toBe(429);
    // Refused before siteverify: the user's hCaptcha token is not spent.
    expect(recorder.forms).toHaveLength(2);
    expect(test.logs.at(-1)).toMatchObject({ outcome: "error", codes: ["hcap-token-check"] });

    // Other site keys have their own count.
    const { enterpriseSafeUser: safe } = HCAPTCHA_TEST_KEYS;
    await attestToken(
      test,
      attestForm(test.account, {
        "hcaptcha-site-key": safe.siteKey,
        "hcaptcha-token": safe.response,
      }),
    );
    // 2 per minute: one more request is allowed every 30 s.
    test.clock.advance(30);
    await attestToken(test);
    expect((await attestErrors(test, attestForm(test.account))).status).toBe(429);
    // Lifting the limit takes effect at once.
    await putSite(test, PUBLISHER.siteKey, { rateLimit: 0 });
    for (let i = 0; i < 5; i++) await attestToken(test);
  });
});

describe("embedResult and JWE tokens", () => {
  it("a JWS never carries the full result; a JWE API's token does when the site embeds it", async () => {
    const test = await app();
    await putSite(test, PUBLISHER.siteKey, { embedResult: true });
    const jws = await attestToken(test);
    expect(decodeProtectedHeader(jws)).toEqual({ alg: "HS256", typ: "JWT" });
    expect(decodeJwt(jws).embed).toEqual({
      [SITE]: { challenge_ts: RECORDER_ANSWER.challenge_ts, hostname: RECORDER_ANSWER.hostname },
    });

    await adminOk(test.app, "PUT", "/apis/localhost", { allowWeb: true, jwe: true });
    const jwe = await attestToken(test);
    expect(jwe.split(".")).toHaveLength(5);
    expect(decodeProtectedHeader(jwe)).toMatchObject({ alg: "A256GCMKW", enc: "A256GCM" });
    const claims = await decrypt(test, jwe);
    expect(claims.embed).toEqual({ [SITE]: RECORDER_ANSWER });
    expect(claims).toMatchObject({ ip: "203.0.113.7", exp: test.clock.seconds + 120 });

    // Without embedResult, a JWE carries the default minimal properties.
    await putSite(test, PUBLISHER.siteKey, { embedResult: false });
    expect((await decrypt(test, await attestToken(test))).embed).toEqual({
      [SITE]: { challenge_ts: RECORDER_ANSWER.challenge_ts, hostname: RECORDER_ANSWER.hostname },
    });
  });

  it("never embeds a field that looks like a secret", async () => {
    const test = await app();
    await putSite(test, PUBLISHER.siteKey, { embedResult: true });
    await adminOk(test.app, "PUT", "/apis/localhost", { allowWeb: true, jwe: true });
    recorder.answer = { ...RECORDER_ANSWER, client_secret: "s3cr3t", SecretHint: "x" };
    expect((await decrypt(test, await attestToken(test))).embed).toEqual({
      [SITE]: RECORDER_ANSWER,
    });
  });

  it("/token and /refresh: each API's token is a JWS or a JWE per that API", async () => {
    const test = await app();
    await putSite(test, PUBLISHER.siteKey, { embedResult: true });
    await adminOk(test.app, "PUT", "/apis/localhost", { allowWeb: true, jwe: true });
    const apis = ["localhost", SECOND_API];
    const answer = await sdkAnswer(
      await test.client.post(test.app, "/token", tokenForm(test.account, {}, apis)),
    );
    const check = async (tokens: Record<string, string>) => {
      const jwe = await decrypt(test, tokens.localhost ?? "");
      expect(jwe.embed).toEqual({ [SITE]: RECORDER_ANSWER });
      expect(jwe.cnf).toEqual({ jkt: test.client.jkt });
      const jws = await verifyApproovToken(tokens[SECOND_API] ?? "", test.account, test.clock.ms);
      expect(jws.embed).toEqual({
        [SITE]: { challenge_ts: RECORDER_ANSWER.challenge_ts, hostname: RECORDER_ANSWER.hostname },
      });
    };
    await check(answer.tokens);
    test.clock.advance(10);
    const refreshed = await sdkAnswer(
      await test.client.post(
        test.app,
        "/refresh",
        refreshForm(test.account, answer.refreshToken, apis),
      ),
    );
    await check(refreshed.tokens);
    // /refresh reads the current account: the API is a JWS API again.
    await adminOk(test.app, "PUT", "/apis/localhost", { allowWeb: true, jwe: false });
    const again = await sdkAnswer(
      await test.client.post(test.app, "/refresh", refreshForm(test.account, answer.refreshToken)),
    );
    expect(decodeProtectedHeader(again.tokens.localhost ?? "").alg).toBe("HS256");
    expect(decodeJwt(again.tokens.localhost ?? "").embed).toEqual({
      [SITE]: { challenge_ts: RECORDER_ANSWER.challenge_ts, hostname: RECORDER_ANSWER.hostname },
    });
  });

  it("a failed check on a JWE API gets a JWE decoy that the account key does not open", async () => {
    const test = await app();
    await adminOk(test.app, "PUT", "/apis/localhost", { allowWeb: true, jwe: true });
    recorder.answer = { success: false, "error-codes": ["invalid-input-response"] };
    const decoy = await attestToken(test);
    expect(decoy.split(".")).toHaveLength(5);
    expect(decodeProtectedHeader(decoy)).toMatchObject({ alg: "A256GCMKW", enc: "A256GCM" });
    await expect(decrypt(test, decoy)).rejects.toThrow();
  });
});
