import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HCAPTCHA_TEST_KEYS } from "@shapes/protocol";
import {
  ApproovTokenError,
  createApproovTokenVerifier,
  decodeApproovSecret,
  tokenChannel,
} from "@shapes/verifier";
import { approovToken, approovTokenBinding } from "@shapes/verifier/hono";
import { Hono } from "hono";
import jwt from "jsonwebtoken";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appEntry, type RunningService, runToExit, startService } from "./spawn-service.js";

/**
 * Tokens made by the REAL attest service (its process, its account file, its hCaptcha
 * check against the real captcha sandbox process), verified here with the account secret.
 */
const { publisher, enterpriseBotDetected: bot } = HCAPTCHA_TEST_KEYS;
const BEARER = "Bearer user-session-42";

let dataDir: string;
let sandbox: RunningService | undefined;
let attest: RunningService | undefined;
let account: { siteKey: string; secret: string };

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "verifier-attest-"));
  // Only PATH from the parent: no APPROOV_* or port settings can leak in.
  const base = { PATH: process.env.PATH ?? "", HOST: "127.0.0.1" };
  await runToExit(appEntry("attest", "init"), { ...base, ATTEST_DATA_DIR: dataDir });
  account = JSON.parse(readFileSync(join(dataDir, "account.json"), "utf8"));
  sandbox = await startService("captcha-sandbox", appEntry("captcha-sandbox", "main"), {
    ...base,
    SANDBOX_PORT: "0",
  });
  attest = await startService("attest", appEntry("attest", "main"), {
    ...base,
    ATTEST_PORT: "0",
    ATTEST_DATA_DIR: dataDir,
    HCAPTCHA_SITEVERIFY_URL: `${sandbox.url}/siteverify`,
  });
}, 60_000);

afterAll(async () => {
  await attest?.stop();
  await sandbox?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** The quickstart's POST /attest, as the plain-JavaScript page sends it. */
async function attestToken(
  hcaptchaToken: string,
  extra: Record<string, string> = {},
  siteKey: string = publisher.siteKey,
) {
  const response = await fetch(`${attest?.url}/attest`, {
    method: "POST",
    body: new URLSearchParams({
      api: "localhost",
      "approov-site-key": account.siteKey,
      "hcaptcha-site-key": siteKey,
      "hcaptcha-token": hcaptchaToken,
      ...extra,
    }),
  });
  expect(response.status).toBe(200);
  return response.text();
}

function backend() {
  const verify = createApproovTokenVerifier({ secret: decodeApproovSecret(account.secret) });
  const app = new Hono();
  app.get("/web", approovToken({ verify, channel: "web" }), (c) => c.json(c.var.approovToken));
  app.get("/mobile", approovToken({ verify, channel: "mobile" }), (c) => c.json({}));
  app.get("/bound", approovToken({ verify }), approovTokenBinding(), (c) => c.json({ ok: true }));
  return { verify, app };
}

describe("tokens issued by the real attest service", () => {
  it("verify with the account secret, as web-channel tokens", async () => {
    const token = await attestToken(publisher.response);
    const { verify, app } = backend();
    const claims = await verify(token);
    expect(claims.exp).toBeGreaterThan(Date.now() / 1000);
    expect(Object.keys(claims.embed ?? {})).toEqual([`hcap:${publisher.siteKey}`]);
    expect(claims.did).toBeUndefined();
    expect(tokenChannel(claims)).toBe("web");

    const web = await app.request("/web", { headers: { "Approov-Token": token } });
    expect(web.status).toBe(200);
    expect(((await web.json()) as { arc: string }).arc).toBe(claims.arc);
    const mobile = await app.request("/mobile", { headers: { "Approov-Token": token } });
    expect(mobile.status).toBe(401);
    expect(await mobile.json()).toEqual({ status: "approov token not allowed here" });
  });

  it("do not verify with another secret", async () => {
    const token = await attestToken(publisher.response);
    const stranger = createApproovTokenVerifier({
      secret: new Uint8Array(32).fill(7),
    });
    const error = await stranger(token).catch((caught: unknown) => caught);
    expect((error as ApproovTokenError).code).toBe("bad-signature");
  });

  it("a failed human check gets a look-alike token that the verifier refuses", async () => {
    // The enterprise "bot detected" test key: attest answers 200 with a decoy token.
    const token = await attestToken(bot.response, {}, bot.siteKey);
    const { verify, app } = backend();
    const error = await verify(token).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApproovTokenError);
    expect((error as ApproovTokenError).code).toBe("bad-signature");
    const response = await app.request("/web", { headers: { "Approov-Token": token } });
    expect(response.status).toBe(401);
  });

  it("token binding: attest's pay claim matches the Authorization header it was made for", async () => {
    const payload = createHash("sha256").update(BEARER).digest("base64url");
    const token = await attestToken(publisher.response, { payload });
    const { verify, app } = backend();
    expect((await verify(token)).pay).toBe(createHash("sha256").update(BEARER).digest("base64"));

    const bound = await app.request("/bound", {
      headers: { "Approov-Token": token, Authorization: BEARER },
    });
    expect(bound.status).toBe(200);
    const other = await app.request("/bound", {
      headers: { "Approov-Token": token, Authorization: "Bearer someone-else" },
    });
    expect(other.status).toBe(401);
    expect(await other.json()).toEqual({ status: "invalid approov bound token" });
  });
});

describe("compatible with Approov's own backend quickstarts", () => {
  // As the public Node.js quickstarts check a token: jsonwebtoken, the base64-decoded
  // account secret, HS256 only. A team that has that check needs no change for our tokens.
  const quickstartCheck = (token: string) =>
    jwt.verify(token, Buffer.from(account.secret, "base64"), { algorithms: ["HS256"] });

  it("a token attest issues verifies with jsonwebtoken configured as the quickstarts do", async () => {
    const token = await attestToken(publisher.response);
    const claims = quickstartCheck(token) as Record<string, unknown>;
    expect(claims.exp).toBeGreaterThan(Date.now() / 1000);
    expect(claims.embed).toHaveProperty(`hcap:${publisher.siteKey}`);
  });

  it("a decoy (a failed human check) fails that check", async () => {
    const decoy = await attestToken(bot.response, {}, bot.siteKey);
    expect(() => quickstartCheck(decoy)).toThrow(jwt.JsonWebTokenError);
    expect(() => quickstartCheck(decoy)).toThrow(/invalid signature/);
  });
});
