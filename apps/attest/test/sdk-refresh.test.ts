import { createHash } from "node:crypto";
import type { ApproovErrorBody } from "@shapes/protocol";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DpopClient, type SdkAnswer, sdkAnswer } from "./helpers/dpop-client.js";
import { recordErrorCodes } from "./helpers/error-codes.js";
import {
  BOT,
  expectSdkDecoy,
  PUBLISHER,
  refreshForm,
  type SdkTestApp,
  SECOND_API,
  sdkApp,
  siteConfig,
  tokenForm,
  verifyApproovToken,
} from "./helpers/sdk-setup.js";
import { type RunningSandbox, startSandbox } from "./helpers/start-sandbox.js";
import { NOW_MS } from "./helpers/test-app.js";

const NOW_S = NOW_MS / 1000;

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.stop());

/** An app whose session was started at /token (publisher key unless `form` says otherwise). */
async function startedSession(
  options: Parameters<typeof sdkApp>[0] = {},
  changes: Record<string, string | undefined> = {},
): Promise<SdkTestApp & { first: SdkAnswer; refreshToken: string }> {
  const setup = await sdkApp({ siteverifyUrl: sandbox.siteverifyUrl, ...options });
  const first = await sdkAnswer(
    await setup.client.post(setup.app, "/token", tokenForm(setup.account, changes)),
  );
  return { ...setup, first, refreshToken: first.refreshToken ?? "" };
}

/** A 400 /refresh answer's errors, recorded for the error table. */
async function refreshErrors(res: Response): Promise<ApproovErrorBody["errors"]> {
  expect(res.status).toBe(400);
  expect(res.headers.get("dpop-nonce")).toBeTruthy();
  const { errors } = (await res.json()) as ApproovErrorBody;
  recordErrorCodes("refresh", errors);
  return errors;
}

describe("POST /refresh", () => {
  it("issues new bound tokens several times without siteverify (the sandbox is stopped)", async () => {
    const own = await startSandbox();
    const setup = await sdkApp({ siteverifyUrl: own.siteverifyUrl });
    const { app, account, client, clock, logs } = setup;
    const first = await sdkAnswer(await client.post(app, "/token", tokenForm(account)));
    await own.stop();
    const sid = logs.at(-1)?.sid;
    expect(sid).toBeTruthy();

    const seen = new Set<string>([first.tokens.localhost ?? ""]);
    for (let i = 1; i <= 3; i++) {
      clock.advance(100);
      const res = await client.post(
        app,
        "/refresh",
        refreshForm(account, first.refreshToken, ["localhost", SECOND_API]),
      );
      expect(res.headers.get("dpop-nonce")).toBeTruthy();
      const answer = await sdkAnswer(res);
      expect(Object.keys(answer).sort()).toEqual(["expiries", "tokens"]);
      expect(answer.expiries).toEqual(first.expiries);
      expect(Object.keys(answer.tokens).sort()).toEqual([SECOND_API, "localhost"].sort());
      const claims = await verifyApproovToken(answer.tokens.localhost ?? "", account, clock.ms);
      expect(claims.iat).toBe(NOW_S + 100 * i);
      expect(claims.exp).toBe(NOW_S + 100 * i + account.tokenLifetimeSeconds);
      expect(claims.cnf).toEqual({ jkt: client.jkt });
      expect(claims.embed).toEqual(decodeJwt(first.tokens.localhost ?? "").embed);
      expect(logs.at(-1)).toMatchObject({ msg: "refresh", sid, outcome: "valid", arc: claims.arc });
      seen.add(answer.tokens.localhost ?? "");
    }
    expect(seen.size).toBe(4);
  });

  it("caps exp at the session end, then refuses the expired refresh token", async () => {
    const { app, account, client, clock, refreshToken } = await startedSession({
      account: (a) => {
        a.hcaptcha.sites[PUBLISHER.siteKey] = siteConfig({ maxResultLifetimeSeconds: 300 });
      },
    });
    clock.advance(250);
    const near = await sdkAnswer(
      await client.post(app, "/refresh", refreshForm(account, refreshToken)),
    );
    const claims = await verifyApproovToken(near.tokens.localhost ?? "", account, clock.ms);
    expect(claims.exp).toBe(NOW_S + 300);
    clock.advance(50);
    const res = await client.post(app, "/refresh", refreshForm(account, refreshToken));
    expect(await refreshErrors(res)).toEqual({ "aprv-invalid-refresh-token": "expired" });
  });

  it("payload: the refreshed tokens carry pay", async () => {
    const { app, account, client, refreshToken } = await startedSession();
    const digest = createHash("sha256").update("body").digest();
    const answer = await sdkAnswer(
      await client.post(
        app,
        "/refresh",
        refreshForm(
          account,
          refreshToken,
          ["localhost"],
          [["payload", digest.toString("base64url")]],
        ),
      ),
    );
    const claims = await verifyApproovToken(answer.tokens.localhost ?? "", account, NOW_MS);
    expect(claims.pay).toBe(digest.toString("base64"));
  });

  it("a failed session (bot key) keeps getting decoys at /refresh", async () => {
    const { app, account, client, clock, refreshToken, logs } = await startedSession(
      {},
      { "hcaptcha-site-key": BOT.siteKey, "hcaptcha-token": BOT.response },
    );
    for (let i = 0; i < 2; i++) {
      clock.advance(60);
      const answer = await sdkAnswer(
        await client.post(app, "/refresh", refreshForm(account, refreshToken)),
      );
      const token = answer.tokens.localhost ?? "";
      await expectSdkDecoy(token, account, clock.ms);
      expect(logs.at(-1)).toMatchObject({
        msg: "refresh",
        outcome: "invalid",
        reason: "the session's human check failed",
      });
    }
  });

  it("aprv-invalid-refresh-token: missing, garbage, tampered, another session's key", async () => {
    const { app, account, client, refreshToken } = await startedSession();
    const post = (token: string | undefined, who = client) =>
      who.post(app, "/refresh", refreshForm(account, token));

    expect(await refreshErrors(await post(undefined))).toEqual({
      "aprv-invalid-refresh-token": "missing",
    });
    expect(await refreshErrors(await post(""))).toEqual({
      "aprv-invalid-refresh-token": "missing",
    });
    expect(await refreshErrors(await post("garbage"))).toEqual({
      "aprv-invalid-refresh-token": "invalid",
    });
    // One flipped bit in the ciphertext: GCM's tag no longer matches.
    const parts = refreshToken.split(".");
    const cipher = Buffer.from(parts[3] ?? "", "base64url");
    cipher[0] = (cipher[0] ?? 0) ^ 1;
    parts[3] = cipher.toString("base64url");
    expect(await refreshErrors(await post(parts.join(".")))).toEqual({
      "aprv-invalid-refresh-token": "invalid",
    });

    // Copied to another browser: a valid proof, but of another key.
    const thief = await DpopClient.create(client.now);
    expect(await refreshErrors(await post(refreshToken, thief))).toEqual({
      "aprv-invalid-refresh-token": "bound to another key",
    });
    // The owner still refreshes.
    await sdkAnswer(await post(refreshToken));
  });

  it("a refresh token of another account (another secret) is invalid", async () => {
    const other = await startedSession();
    const { app, account, client } = await startedSession();
    const res = await client.post(app, "/refresh", refreshForm(account, other.refreshToken));
    expect(await refreshErrors(res)).toEqual({ "aprv-invalid-refresh-token": "invalid" });
  });

  it("refuses web protection parameters (rqst-illegal-params) and validates the rest", async () => {
    const { app, account, client, refreshToken } = await startedSession();
    const illegal = await client.post(
      app,
      "/refresh",
      refreshForm(
        account,
        refreshToken,
        ["localhost"],
        [
          ["hcaptcha-site-key", PUBLISHER.siteKey],
          ["hcaptcha-token", PUBLISHER.response],
          ["hcaptcha-host", "localhost"],
        ],
      ),
    );
    expect(await refreshErrors(illegal)).toEqual({
      "rqst-illegal-params": "hcaptcha-site-key, hcaptcha-token, hcaptcha-host",
    });
    const bad = await client.post(app, "/refresh", [
      ["api", "nope.example"],
      ["approov-site-key", "not-the-key"],
      ["payload", "AAAA"],
    ]);
    // Without a matching account the API names are not looked up; the rest is reported.
    expect(await refreshErrors(bad)).toEqual({
      "aprv-invalid-refresh-token": "missing",
      "aprv-no-matching-account": "",
      "aprv-payload-param-invalid-size": "3 bytes, expected 32",
    });
  });
});

describe("the SDK endpoints take a form body only", () => {
  it("refuses parameters in the query string (a refresh token must not sit in a URL)", async () => {
    const { app, account, client, refreshToken } = await startedSession();
    const query = `?${new URLSearchParams(refreshForm(account, refreshToken))}`;
    const res = await app.request(`/refresh${query}`, {
      method: "POST",
      headers: { DPoP: await client.proof("/refresh") },
    });
    expect(await refreshErrors(res)).toEqual({
      "rqst-illegal-params": "query string: send a form body",
    });
  });
});
