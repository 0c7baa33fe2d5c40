import { type RunningService, runService } from "@shapes/node-service";
import { HCAPTCHA_TEST_KEYS } from "@shapes/protocol";
import { decodeJwt } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createDefaultAccount } from "../src/account.js";
import { createApp } from "../src/app.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";
import { DpopClient, type SdkAnswer } from "./helpers/dpop-client.js";
import { type RunningSandbox, startSandbox } from "./helpers/start-sandbox.js";

const { publisher, enterpriseBotDetected: bot } = HCAPTCHA_TEST_KEYS;

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.stop());

describe("the SDK endpoints over a real socket", () => {
  let service: RunningService | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await service?.close();
  });

  it("log one line per decision with sid and arc, and never a token, proof or secret", async () => {
    const account = createDefaultAccount();
    const app = createApp({
      account,
      settings: { ...DEFAULT_SETTINGS, hcaptchaSiteverifyUrl: sandbox.siteverifyUrl },
    });
    service = await runService({
      name: "attest-test",
      fetch: app.fetch,
      port: 0,
      handleSignals: false,
    });
    const url = service.url;
    const client = await DpopClient.create(Date.now, url);
    const post = async (path: string, form: Record<string, string>) => {
      const send = async () => {
        const res = await fetch(`${url}${path}`, {
          method: "POST",
          body: new URLSearchParams(form),
          headers: { DPoP: await client.proof(path) },
        });
        client.nonce = res.headers.get("dpop-nonce") ?? client.nonce;
        return res;
      };
      const first = await send();
      if (first.status !== 400) return first;
      const body = (await first.clone().json()) as { errors: Record<string, string> };
      return "aprv-invalid-nonce" in body.errors ? send() : first;
    };

    let stdout = "";
    vi.spyOn(process.stdout, "write").mockImplementation(((chunk: string | Uint8Array) => {
      stdout += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
      return true;
    }) as typeof process.stdout.write);

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
    const lines = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line))
      .filter((line) => line.msg === "token" || line.msg === "refresh");
    // The first request of the page had no nonce: its refusal is a decision too.
    expect(lines.map((l) => [l.msg, l.outcome])).toEqual([
      ["token", "error"],
      ["token", "valid"],
      ["refresh", "valid"],
      ["token", "invalid"],
      ["refresh", "error"],
    ]);
    const validToken = valid.tokens.localhost ?? "";
    expect(lines[1].arc).toBe(decodeJwt(validToken).arc);
    expect(lines[2].sid).toBe(lines[1].sid);
    expect(lines[2].arc).toBe(decodeJwt(refreshed.tokens.localhost ?? "").arc);
    expect(lines[3].sid).not.toBe(lines[1].sid);
    expect(lines[4].codes).toEqual(["aprv-invalid-refresh-token"]);

    const secrets = [
      account.secret,
      validToken,
      refreshed.tokens.localhost ?? "",
      decoy.tokens.localhost ?? "",
      valid.refreshToken ?? "",
      decoy.refreshToken ?? "",
      ...client.sent,
      client.nonce ?? "",
    ];
    expect(client.sent.length).toBeGreaterThanOrEqual(5);
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(20);
      expect(stdout).not.toContain(secret);
      // Not even the signature part of a JWT/JWE.
      expect(stdout).not.toContain(secret.split(".").at(-1));
    }
  });
});
