import { randomBytes } from "node:crypto";
import { LOCAL_FINGERPRINT_PUBLIC_KEY, LOCAL_RECAPTCHA_V3_SITE_KEY } from "@shapes/protocol";
import { jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDefaultAccount } from "../src/account/account.js";
import { createApp } from "../src/http/app.js";
import { newRequestId } from "../src/http/request-id.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";
import { captureOutput, jsonLines } from "./helpers/capture-output.js";
import { DpopClient, type SdkAnswer } from "./helpers/dpop-client.js";
import { accountSecrets, expectNoSecretIn } from "./helpers/leak-check.js";
import { siteConfig } from "./helpers/sdk-setup.js";
import { serveForTest } from "./helpers/serve-on-socket.js";
import { type RunningSandbox, startSandbox } from "./helpers/start-sandbox.js";
import { testApp } from "./helpers/test-app.js";

const OWN_SITE_KEY = "5eC7e7a1-0000-4000-8000-00000000beef";
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.stop());

describe("request ids", () => {
  it("makes distinct 96-bit ids across refills of its random pool", () => {
    const ids = Array.from({ length: 2000 }, () => newRequestId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it("takes a well-formed X-Request-Id, replaces a malformed one, answers it on every response", async () => {
    const { app, lines } = testApp();
    const given = await app.request("/healthz", { headers: { "x-request-id": "edge-1.a_B-9" } });
    expect(given.headers.get("x-request-id")).toBe("edge-1.a_B-9");
    for (const bad of ["has space", "x".repeat(65), 'quote"', "ünïcode"]) {
      const res = await app.request("/nope", { headers: { "x-request-id": encodeURI(bad) } });
      expect(res.status).toBe(404);
      const id = res.headers.get("x-request-id") ?? "";
      expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect(id).not.toBe(encodeURI(bad));
    }
    const made = await app.request("/attest", { method: "OPTIONS", headers: { origin: "x" } });
    expect(made.headers.get("x-request-id")).toMatch(/^[A-Za-z0-9_-]{16}$/);
    // Each one is in its request's access line.
    expect(lines.map((line) => line.requestId)).toEqual([
      "edge-1.a_B-9",
      ...[...Array(4)].map(() => expect.stringMatching(/^[A-Za-z0-9_-]{16}$/)),
      made.headers.get("x-request-id"),
    ]);
    expect(lines[0]).toEqual({
      time: expect.any(String),
      level: "info",
      msg: "request",
      requestId: "edge-1.a_B-9",
      method: "GET",
      path: "/healthz",
      status: 200,
      ms: expect.any(Number),
    });
  });
});

describe("structured logs over a real socket", () => {
  it("every line is JSON with its request id, and no token, proof or secret is in any", async () => {
    const account = createDefaultAccount();
    account.hcaptcha.sites[OWN_SITE_KEY] = siteConfig({
      secret: `0x${randomBytes(20).toString("hex")}`,
      includeIP: true,
    });
    const adminKey = randomBytes(32).toString("base64url");
    const app = createApp({
      account,
      adminKey,
      settings: { ...DEFAULT_SETTINGS, ...sandbox.settings },
    });
    const { url } = await serveForTest(app);

    // Everything the service writes while handling requests, on both streams.
    const output = captureOutput({ all: true });

    /** Every request sent, with the id its answer carried and what kind of line it makes. */
    const sent: { id: string; kind: "decision" | "admin" | "plain"; status: number }[] = [];
    const call = async (
      kind: "decision" | "admin" | "plain",
      path: string,
      init: RequestInit = {},
    ) => {
      const res = await fetch(`${url}${path}`, init);
      sent.push({ id: res.headers.get("x-request-id") ?? "", kind, status: res.status });
      return res;
    };
    const admin = (method: string, path: string, body?: unknown, key = adminKey) =>
      call("admin", `/admin/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    const secrets: string[] = [...accountSecrets(account), adminKey];

    // The plain flow: valid, then the same hCaptcha token again (a decoy), an error, and a
    // valid one with the parameters in the query string (the access log drops queries).
    const { response: hcaptchaToken } = await sandbox.execute(OWN_SITE_KEY);
    const attestForm = (token: string) =>
      new URLSearchParams({
        api: "localhost",
        "approov-site-key": account.siteKey,
        "hcaptcha-site-key": OWN_SITE_KEY,
        "hcaptcha-token": token,
      });
    const valid = await (
      await call("decision", "/attest", {
        method: "POST",
        body: attestForm(hcaptchaToken),
        headers: { "x-request-id": "client-chosen.id_1" },
      })
    ).text();
    await jwtVerify(valid, Buffer.from(account.secret, "base64"));
    const decoy = await (
      await call("decision", "/attest", { method: "POST", body: attestForm(hcaptchaToken) })
    ).text();
    expect((await call("decision", "/attest", { method: "POST", body: "x=1" })).status).toBe(400);
    const { response: queryToken } = await sandbox.execute(OWN_SITE_KEY);
    const viaQuery = await call("decision", `/attest?${attestForm(queryToken)}`, {
      method: "POST",
    });
    expect(viaQuery.status).toBe(200);
    const queryIssued = await viaQuery.text();
    secrets.push(valid, decoy, hcaptchaToken, queryToken, queryIssued);

    // reCAPTCHA and Fingerprint together.
    const recaptchaToken = await sandbox.recaptchaToken(LOCAL_RECAPTCHA_V3_SITE_KEY, {
      action: "submit",
    });
    const identification = await sandbox.identify(LOCAL_FINGERPRINT_PUBLIC_KEY);
    const combined = await call("decision", "/attest", {
      method: "POST",
      body: new URLSearchParams({
        api: "localhost",
        "approov-site-key": account.siteKey,
        "recaptcha-site-key": LOCAL_RECAPTCHA_V3_SITE_KEY,
        "recaptcha-token": recaptchaToken,
        "fingerprint-public-api-key": LOCAL_FINGERPRINT_PUBLIC_KEY,
        "fingerprint-visitor-id": identification.visitorId,
        "fingerprint-request-id": identification.requestId,
      }),
    });
    expect(combined.status).toBe(200);
    secrets.push(await combined.text(), recaptchaToken, identification.requestId);

    // The SDK flow: the nonce dance, a session, a refresh, a forged refresh token.
    const client = await DpopClient.create(Date.now, url);
    const sdkPost = (path: string, form: Record<string, string>) =>
      client.post((to, init) => call("decision", to, init), path, Object.entries(form));
    const { response: sdkHcaptchaToken } = await sandbox.execute(OWN_SITE_KEY);
    const base = { api: "localhost", "approov-site-key": account.siteKey };
    const session = (await (
      await sdkPost("/token", {
        ...base,
        "hcaptcha-site-key": OWN_SITE_KEY,
        "hcaptcha-token": sdkHcaptchaToken,
      })
    ).json()) as SdkAnswer;
    const refreshToken = session.refreshToken ?? "";
    const refreshed = (await (
      await sdkPost("/refresh", { ...base, "refresh-token": refreshToken })
    ).json()) as SdkAnswer;
    const forged = await sdkPost("/refresh", { ...base, "refresh-token": `${refreshToken}x` });
    expect(forged.status).toBe(400);
    secrets.push(
      sdkHcaptchaToken,
      session.tokens.localhost ?? "",
      refreshed.tokens.localhost ?? "",
      refreshToken,
      client.nonce ?? "",
      ...client.sent,
    );

    // Admin changes carrying secrets, tokens made and checked, refusals.
    const newHcaptchaSecret = `0x${randomBytes(20).toString("hex")}`;
    const newRecaptchaSecret = `6L${randomBytes(28).toString("base64url")}`;
    const newFingerprintSecret = randomBytes(18).toString("base64url");
    secrets.push(newHcaptchaSecret, newRecaptchaSecret, newFingerprintSecret);
    expect(
      (await admin("PUT", "/web/hcaptcha/new-site", { secret: newHcaptchaSecret })).status,
    ).toBe(200);
    expect(
      (await admin("PUT", "/web/recaptcha/new-site", { secret: newRecaptchaSecret })).status,
    ).toBe(200);
    expect(
      (await admin("PUT", "/web/fingerprint/new-sub", { secret: newFingerprintSecret })).status,
    ).toBe(200);
    expect((await admin("PUT", "/apis/shapes.example", { allowWeb: true, jwe: true })).status).toBe(
      200,
    );
    const example = (await (
      await admin("POST", "/tokens/example", { api: "shapes.example", dataHash: "Bearer x" })
    ).json()) as { token: string };
    secrets.push(example.token);
    expect((await admin("POST", "/tokens/check", { token: example.token })).status).toBe(200);
    expect((await admin("POST", "/tokens/check", { token: valid })).status).toBe(200);
    expect((await admin("GET", "/account", undefined, `${adminKey}x`)).status).toBe(401);
    expect((await admin("PUT", "/web/hcaptcha/bad", { secret: "" })).status).toBe(400);
    expect((await admin("GET", "/metrics/summary")).status).toBe(200);

    // Operator and odd requests.
    expect((await call("plain", "/metrics")).status).toBe(200);
    expect((await call("plain", "/healthz")).status).toBe(200);
    expect((await call("plain", "/nope?token=abc")).status).toBe(404);
    expect((await call("plain", "/attest")).status).toBe(405);
    vi.restoreAllMocks();

    // Every line is one JSON object with time, level, msg and the id of its request.
    const lines = jsonLines(output.text);
    for (const line of lines) {
      expect(new Date(line.time as string).toISOString()).toBe(line.time);
      expect(["info", "warn", "error", "fatal"]).toContain(line.level);
      expect(typeof line.msg).toBe("string");
      expect(line.requestId).toMatch(REQUEST_ID);
    }
    expect(sent[0]?.id).toBe("client-chosen.id_1");
    expect(new Set(sent.map((s) => s.id)).size).toBe(sent.length);
    // Per request: one access line, plus its decision or admin line, all with its id.
    for (const request of sent) {
      const own = lines.filter((line) => line.requestId === request.id);
      const expected =
        request.kind === "decision"
          ? ["attest", "token", "refresh"]
          : request.kind === "admin"
            ? ["admin"]
            : [];
      const msgs = own.map((line) => line.msg);
      expect(
        msgs.filter((msg) => msg === "request"),
        request.id,
      ).toHaveLength(1);
      const others = msgs.filter((msg) => msg !== "request");
      expect(others, request.id).toHaveLength(expected.length === 0 ? 0 : 1);
      for (const msg of others) expect(expected, request.id).toContain(msg);
      const access = own.find((line) => line.msg === "request");
      expect(access?.status).toBe(request.status);
      expect(access?.path).not.toContain("?");
    }
    expect(lines.length).toBe(
      sent.length + sent.filter((request) => request.kind !== "plain").length,
    );

    // No secret, token, refresh token, proof, nonce or captcha result in any line.
    expectNoSecretIn(output.text, secrets);
  });
});
