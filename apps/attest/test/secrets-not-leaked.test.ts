import { randomBytes } from "node:crypto";
import { LOCAL_FINGERPRINT_PUBLIC_KEY, LOCAL_RECAPTCHA_V3_SITE_KEY } from "@shapes/protocol";
import { decodeJwt, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDefaultAccount } from "../src/account/account.js";
import { createApp } from "../src/http/app.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";
import { captureOutput, jsonLines } from "./helpers/capture-output.js";
import { accountSecrets, expectNoSecretIn } from "./helpers/leak-check.js";
import { siteConfig } from "./helpers/sdk-setup.js";
import { serveForTest } from "./helpers/serve-on-socket.js";
import { type RunningSandbox, startSandbox } from "./helpers/start-sandbox.js";

const SITE_KEY = "5eC7e7a1-0000-4000-8000-00000000beef";
const SITE_SECRET = `0x${randomBytes(20).toString("hex")}`;

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.stop());

describe("secrets never reach responses or log lines", () => {
  it("a full flow over a real socket, with the default stdout decision log", async () => {
    const account = createDefaultAccount();
    account.hcaptcha.sites[SITE_KEY] = siteConfig({ secret: SITE_SECRET, includeIP: true });
    const app = createApp({
      account,
      settings: { ...DEFAULT_SETTINGS, hcaptchaSiteverifyUrl: sandbox.siteverifyUrl },
    });
    const service = await serveForTest(app);
    // Captured only after startup, so only request handling is in it.
    const stdout = captureOutput();

    const { response: hcaptchaToken } = await sandbox.execute(SITE_KEY);
    const attest = (token: string) =>
      fetch(`${service.url}/attest`, {
        method: "POST",
        body: new URLSearchParams({
          api: "localhost",
          "approov-site-key": account.siteKey,
          "hcaptcha-site-key": SITE_KEY,
          "hcaptcha-token": token,
        }),
      });
    const validRes = await attest(hcaptchaToken);
    const valid = await validRes.text();
    const invalidRes = await attest(hcaptchaToken); // single use: now a failed check
    const invalid = await invalidRes.text();
    const errorRes = await fetch(`${service.url}/attest`, { method: "POST", body: "x=1" });
    const errorText = await errorRes.text();
    vi.restoreAllMocks();

    expect(validRes.status).toBe(200);
    const { payload } = await jwtVerify(valid, Buffer.from(account.secret, "base64"));
    expect(payload.ip).toBe("127.0.0.1");
    expect(invalidRes.status).toBe(200);
    expect(errorRes.status).toBe(400);

    // The decision lines (each request also has its access line).
    const lines = jsonLines(stdout.text).filter((line) => line.msg === "attest");
    expect(lines.map((l) => l.outcome)).toEqual(["valid", "invalid", "error"]);
    expect(lines[0]?.arc).toBe(payload.arc);
    expect(lines[1]?.arc).toBe(decodeJwt(invalid).arc);
    const secrets = [...accountSecrets(account), hcaptchaToken];
    expectNoSecretIn(stdout.text, [...secrets, valid, invalid]);
    for (const answer of [
      errorText,
      JSON.stringify(decodeJwt(valid)),
      JSON.stringify(decodeJwt(invalid)),
    ]) {
      expectNoSecretIn(answer, secrets);
    }
  });

  it("reCAPTCHA and Fingerprint: their secrets and tokens reach no answer and no log line", async () => {
    const account = createDefaultAccount();
    for (const site of Object.values(account.recaptcha.sites)) site.includeIP = true;
    const app = createApp({ account, settings: { ...DEFAULT_SETTINGS, ...sandbox.settings } });
    const service = await serveForTest(app);
    const stdout = captureOutput();

    const recaptchaToken = await sandbox.recaptchaToken(LOCAL_RECAPTCHA_V3_SITE_KEY, {
      action: "submit",
    });
    const id = await sandbox.identify(LOCAL_FINGERPRINT_PUBLIC_KEY);
    const attest = () =>
      fetch(`${service.url}/attest`, {
        method: "POST",
        body: new URLSearchParams({
          api: "localhost",
          "approov-site-key": account.siteKey,
          "recaptcha-site-key": LOCAL_RECAPTCHA_V3_SITE_KEY,
          "recaptcha-token": recaptchaToken,
          "fingerprint-public-api-key": LOCAL_FINGERPRINT_PUBLIC_KEY,
          "fingerprint-visitor-id": id.visitorId,
          "fingerprint-request-id": id.requestId,
        }),
      });
    const valid = await (await attest()).text();
    const invalid = await (await attest()).text(); // both used up: a failed check
    vi.restoreAllMocks();

    await jwtVerify(valid, Buffer.from(account.secret, "base64"));
    await expect(jwtVerify(invalid, Buffer.from(account.secret, "base64"))).rejects.toThrow();
    const lines = jsonLines(stdout.text).filter((line) => line.msg === "attest");
    expect(lines.map((l) => l.outcome)).toEqual(["valid", "invalid"]);
    const secrets = [...accountSecrets(account), recaptchaToken];
    for (const text of [
      stdout.text,
      JSON.stringify(decodeJwt(valid)),
      JSON.stringify(decodeJwt(invalid)),
    ]) {
      expectNoSecretIn(text, secrets);
    }
    expectNoSecretIn(stdout.text, [valid]);
    expect(stdout.text).not.toContain(id.requestId);
  });
});
