import { HCAPTCHA_TEST_KEYS } from "@shapes/protocol";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDefaultAccount } from "../src/account/account.js";
import { createApp } from "../src/http/app.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";
import { captureOutput, jsonLines } from "./helpers/capture-output.js";
import { DpopClient, type SdkAnswer } from "./helpers/dpop-client.js";
import { accountSecrets, expectNoSecretIn } from "./helpers/leak-check.js";
import { serveForTest } from "./helpers/serve-on-socket.js";
import { type RunningSandbox, startSandbox } from "./helpers/start-sandbox.js";

const { publisher, enterpriseBotDetected: bot } = HCAPTCHA_TEST_KEYS;

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.stop());

describe("the SDK endpoints over a real socket", () => {
  it("log one line per decision with sid and arc, and never a token, proof or secret", async () => {
    const account = createDefaultAccount();
    const app = createApp({
      account,
      settings: { ...DEFAULT_SETTINGS, hcaptchaSiteverifyUrl: sandbox.siteverifyUrl },
    });
    const { url } = await serveForTest(app);
    const client = await DpopClient.create(Date.now, url);
    const post = (path: string, form: Record<string, string>) =>
      client.post((to, init) => fetch(`${url}${to}`, init), path, Object.entries(form));

    const stdout = captureOutput();

    const base = { api: "localhost", "approov-site-key": account.siteKey };
    const valid = (await (
      await post("/token", {
        ...base,
        "hcaptcha-site-key": publisher.siteKey,
        "hcaptcha-token": publisher.response,
      })
    ).json()) as SdkAnswer;
    const refreshed = (await (
      await post("/refresh", { ...base, "refresh-token": valid.refreshToken ?? "" })
    ).json()) as SdkAnswer;
    const decoy = (await (
      await post("/token", {
        ...base,
        "hcaptcha-site-key": bot.siteKey,
        "hcaptcha-token": bot.response,
      })
    ).json()) as SdkAnswer;
    const refused = await post("/refresh", { ...base, "refresh-token": "forged" });
    vi.restoreAllMocks();

    expect(refused.status).toBe(400);
    // The decision lines (each request also has its access line).
    const lines = jsonLines(stdout.text).filter(
      (line) => line.msg === "token" || line.msg === "refresh",
    );
    // The first request of the page had no nonce: its refusal is a decision too.
    expect(lines.map((l) => [l.msg, l.outcome])).toEqual([
      ["token", "error"],
      ["token", "valid"],
      ["refresh", "valid"],
      ["token", "invalid"],
      ["refresh", "error"],
    ]);
    const validToken = valid.tokens.localhost ?? "";
    expect(lines[1]?.arc).toBe(decodeJwt(validToken).arc);
    expect(lines[2]?.sid).toBe(lines[1]?.sid);
    expect(lines[2]?.arc).toBe(decodeJwt(refreshed.tokens.localhost ?? "").arc);
    expect(lines[3]?.sid).not.toBe(lines[1]?.sid);
    expect(lines[4]?.codes).toEqual(["aprv-invalid-refresh-token"]);

    expect(client.sent.length).toBeGreaterThanOrEqual(5);
    expectNoSecretIn(stdout.text, [
      ...accountSecrets(account),
      validToken,
      refreshed.tokens.localhost ?? "",
      decoy.tokens.localhost ?? "",
      valid.refreshToken ?? "",
      decoy.refreshToken ?? "",
      ...client.sent,
      client.nonce ?? "",
    ]);
  });
});
