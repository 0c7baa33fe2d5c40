import { type ApproovErrorBody, type ErrorCode, HCAPTCHA_TEST_KEYS } from "@shapes/protocol";
import { describe, expect, it } from "vitest";
import type { Account } from "../src/account/account.js";
import { expectErrorAnswer } from "./helpers/error-codes.js";
import { closedPortUrl } from "./helpers/fault-servers.js";
import { connEnv, postAttest, testApp } from "./helpers/test-app.js";

const PUBLISHER = HCAPTCHA_TEST_KEYS.publisher;
/** 32 bytes, base64url without padding: a SHA-256-sized payload. */
const PAYLOAD = Buffer.alloc(32, 7).toString("base64url");

/** The quickstart's parameters for `account`, with `changes` applied (undefined removes). */
function params(account: Account, changes: Record<string, string | undefined> = {}) {
  const base: Record<string, string | undefined> = {
    api: "localhost",
    "approov-site-key": account.siteKey,
    "hcaptcha-site-key": PUBLISHER.siteKey,
    "hcaptcha-token": PUBLISHER.response,
    ...changes,
  };
  return Object.entries(base).filter((e): e is [string, string] => e[1] !== undefined);
}

/** Asserts an /attest error answer (status, exact codes) and records it for the error table. */
function expectErrors(
  response: Response,
  status: number,
  codes: ErrorCode[],
): Promise<ApproovErrorBody> {
  return expectErrorAnswer(response, "attest", status, codes);
}

describe("POST /attest request errors (rqst-*)", () => {
  it("refuses a body larger than the limit (413)", async () => {
    const { app, account } = testApp({ settings: { maxBodyBytes: 100 } });
    const res = await postAttest(app, params(account, { payload: "x".repeat(200) }));
    const body = await expectErrors(res, 413, ["rqst-body-too-large"]);
    expect(body.message).toBe("Payload Too Large");
  });

  it("refuses a body that grows past the limit while streaming (no Content-Length)", async () => {
    const { app } = testApp({ settings: { maxBodyBytes: 100 } });
    const chunk = new TextEncoder().encode("a=".padEnd(60, "b"));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 5; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await app.request(
      "/attest",
      {
        method: "POST",
        body: stream,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        duplex: "half",
      } as RequestInit,
      connEnv(),
    );
    await expectErrors(res, 413, ["rqst-body-too-large"]);
  });

  it("answers rqst-body-read-fail when the body stream breaks or stalls", async () => {
    const { app } = testApp({ settings: { bodyTimeoutMs: 100 } });
    const broken = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("api=local"));
        controller.error(new Error("connection reset"));
      },
    });
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("api=local"));
      },
    });
    for (const body of [broken, stalled]) {
      const started = Date.now();
      const res = await app.request(
        "/attest",
        {
          method: "POST",
          body,
          headers: { "content-type": "application/x-www-form-urlencoded" },
          duplex: "half",
        } as RequestInit,
        connEnv(),
      );
      await expectErrors(res, 400, ["rqst-body-read-fail"]);
      expect(Date.now() - started).toBeLessThan(2000);
    }
  });

  it("refuses a body that is not form or multipart encoded", async () => {
    const { app, account } = testApp();
    const res = await app.request(
      "/attest",
      {
        method: "POST",
        body: JSON.stringify(Object.fromEntries(params(account))),
        headers: { "content-type": "application/json" },
      },
      connEnv(),
    );
    const body = await expectErrors(res, 400, ["rqst-body-parse"]);
    expect(body.errors["rqst-body-parse"]).toMatch(/Content-Type/);
  });

  it("refuses bad percent-encoding and invalid UTF-8 (no silent repair)", async () => {
    const { app } = testApp();
    const bodies: (string | Uint8Array)[] = [
      "api=localhost&approov-site-key=%zz",
      "api=localhost%2",
      "api=%C3%28",
      new Uint8Array([0x61, 0x70, 0x69, 0x3d, 0xff, 0xfe]),
    ];
    for (const body of bodies) {
      const res = await app.request(
        "/attest",
        {
          method: "POST",
          body,
          headers: { "content-type": "application/x-www-form-urlencoded" },
        },
        connEnv(),
      );
      await expectErrors(res, 400, ["rqst-body-parse"]);
    }
    const query = await app.request("/attest?api=%E0%A4", { method: "POST" }, connEnv());
    await expectErrors(query, 400, ["rqst-body-parse"]);
  });

  it("refuses malformed multipart and file parts", async () => {
    const { app, account } = testApp();
    const broken = await app.request(
      "/attest",
      {
        method: "POST",
        body: "--x\r\nnot a part",
        headers: { "content-type": "multipart/form-data; boundary=x" },
      },
      connEnv(),
    );
    await expectErrors(broken, 400, ["rqst-body-parse"]);
    const badUtf8 = Buffer.concat([
      Buffer.from('--x\r\nContent-Disposition: form-data; name="api"\r\n\r\n'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from("\r\n--x--\r\n"),
    ]);
    const utf8 = await app.request(
      "/attest",
      {
        method: "POST",
        body: badUtf8,
        headers: { "content-type": "multipart/form-data; boundary=x" },
      },
      connEnv(),
    );
    const utf8Body = await expectErrors(utf8, 400, ["rqst-body-parse"]);
    expect(utf8Body.errors["rqst-body-parse"]).toBe("body: invalid UTF-8");
    const form = new FormData();
    form.set("approov-site-key", account.siteKey);
    form.set("api", new Blob(["localhost"]), "api.txt");
    const file = await app.request("/attest", { method: "POST", body: form }, connEnv());
    const body = await expectErrors(file, 400, ["rqst-body-parse"]);
    expect(body.errors["rqst-body-parse"]).toMatch(/file/);
  });

  it("refuses parameters both in the query and in the body", async () => {
    const { app, account } = testApp();
    const res = await postAttest(app, params(account), { query: "?api=localhost" });
    await expectErrors(res, 400, ["rqst-params-in-body-and-path"]);
  });

  it("lists illegal and repeated parameter names, bounded", async () => {
    const { app, account } = testApp();
    const long = "n".repeat(300);
    const res = await postAttest(app, [
      ...params(account),
      ["apikey", "1"],
      [long, "2"],
      ["hcaptcha-token", "again"],
    ]);
    const body = await expectErrors(res, 400, ["rqst-illegal-params"]);
    const detail = body.errors["rqst-illegal-params"] ?? "";
    expect(detail).toContain("apikey");
    expect(detail).toContain("repeated: hcaptcha-token");
    expect(detail).not.toContain(long);
    expect(detail.length).toBeLessThan(200);

    const many = Array.from({ length: 50 }, (_, i): [string, string] => [`bad${i}`, "x"]);
    const manyRes = await postAttest(app, [...params(account), ...many]);
    const manyBody = await expectErrors(manyRes, 400, ["rqst-illegal-params"]);
    expect(manyBody.errors["rqst-illegal-params"]).toContain("(and 40 more)");
    expect(manyBody.errors["rqst-illegal-params"]).not.toContain("bad10,");
  });

  it("answers thousands of distinct illegal names in one pass, the detail still bounded", async () => {
    const count = 2300;
    const { app, account } = testApp({ settings: { maxBodyBytes: 64 * 1024 } });
    const many = Array.from({ length: count }, (_, i): [string, string] => [`bad${i}`, ""]);
    const res = await postAttest(app, [...params(account), ...many]);
    const body = await expectErrors(res, 400, ["rqst-illegal-params"]);
    expect(body.errors["rqst-illegal-params"]).toBe(
      `bad0, bad1, bad2, bad3, bad4, bad5, bad6, bad7, bad8, bad9 (and ${count - 10} more)`,
    );
  });
});

describe("POST /attest account and target errors (aprv-*)", () => {
  it("requires the Approov site key and matches it against the account", async () => {
    const { app, account } = testApp();
    await expectErrors(
      await postAttest(app, params(account, { "approov-site-key": undefined })),
      400,
      ["aprv-no-site-key"],
    );
    await expectErrors(await postAttest(app, params(account, { "approov-site-key": "" })), 400, [
      "aprv-no-site-key",
    ]);
    const other = "123a4567-abcd-42e3-9a8a-9b1234d54321";
    await expectErrors(await postAttest(app, params(account, { "approov-site-key": other })), 400, [
      "aprv-no-matching-account",
    ]);
  });

  it("checks the API targets", async () => {
    const { app, account } = testApp({
      account: (a) => {
        a.apis["mobile-only.example"] = { allowWeb: false, jwe: false };
      },
    });
    const base = params(account, { api: undefined });
    await expectErrors(await postAttest(app, base), 400, ["aprv-api-no-targets"]);
    await expectErrors(await postAttest(app, [...base, ["api", ""]]), 400, [
      "aprv-api-empty-target",
    ]);
    const dup = await postAttest(app, [...base, ["api", "localhost"], ["api", "localhost"]]);
    expect((await expectErrors(dup, 400, ["aprv-api-duplicate-target"])).errors).toEqual({
      "aprv-api-duplicate-target": "localhost",
    });
    const tooMany = await postAttest(app, [
      ...base,
      ["api", "localhost"],
      ["api", "mobile-only.example"],
      ["api", "a.example"],
    ]);
    await expectErrors(tooMany, 400, [
      "aprv-api-too-many-targets",
      "aprv-api-not-found",
      "aprv-api-not-web-enabled",
    ]);
    const unknown = await postAttest(app, [...base, ["api", "shapes.approov.io"]]);
    const body = await expectErrors(unknown, 400, ["aprv-api-not-found"]);
    expect(body.errors["aprv-api-not-found"]).toBe("shapes.approov.io");
    const notWeb = await postAttest(app, [...base, ["api", "mobile-only.example"]]);
    expect((await expectErrors(notWeb, 400, ["aprv-api-not-web-enabled"])).errors).toEqual({
      "aprv-api-not-web-enabled": "mobile-only.example",
    });
  });

  it("checks the token binding payload", async () => {
    const { app, account } = testApp();
    for (const bad of [`${PAYLOAD}=`, "abc+/def", "a b", "Zm9v!"]) {
      await expectErrors(await postAttest(app, params(account, { payload: bad })), 400, [
        "aprv-payload-not-b64url",
      ]);
    }
    const short = Buffer.alloc(16).toString("base64url");
    const body = await expectErrors(
      await postAttest(app, params(account, { payload: short })),
      400,
      ["aprv-payload-param-invalid-size"],
    );
    expect(body.errors["aprv-payload-param-invalid-size"]).toMatch(/16 bytes/);
  });

  it("requires web protection parameters and an integration", async () => {
    const { app, account } = testApp();
    const none = params(account, { "hcaptcha-site-key": undefined, "hcaptcha-token": undefined });
    await expectErrors(await postAttest(app, none), 400, ["aprv-no-web-protect-params"]);

    const bare = testApp({
      account: (a) => {
        a.hcaptcha.sites = {};
        a.recaptcha.sites = {};
        a.fingerprint.subscriptions = {};
        a.turnstile.sites = {};
      },
    });
    await expectErrors(await postAttest(bare.app, params(bare.account)), 400, [
      "aprv-no-web-protect-def",
      "hcap-config-not-found",
    ]);
    // One integration with an entry is enough for the account to be defined.
    const recaptchaOnly = testApp({ account: (a) => (a.hcaptcha.sites = {}) });
    await expectErrors(await postAttest(recaptchaOnly.app, params(recaptchaOnly.account)), 400, [
      "hcap-config-not-found",
    ]);
  });

  it("collects independent problems into one answer", async () => {
    const { app, account } = testApp();
    const res = await postAttest(app, [
      ["approov-site-key", account.siteKey],
      ["api", ""],
      ["payload", "***"],
      ["hcaptcha-site-key", ""],
      ["hcaptcha-token", ""],
      ["extra", "1"],
    ]);
    await expectErrors(res, 400, [
      "rqst-illegal-params",
      "aprv-api-empty-target",
      "aprv-payload-not-b64url",
      "hcap-empty-site-key",
      "hcap-empty-token",
    ]);
  });
});

describe("POST /attest hCaptcha parameter errors (hcap-*; all integrations: integration-params.test.ts)", () => {
  it("checks the hCaptcha parameters against the account", async () => {
    const { app, account } = testApp();
    await expectErrors(
      await postAttest(app, params(account, { "hcaptcha-token": undefined })),
      400,
      ["hcap-param-mismatch"],
    );
    await expectErrors(
      await postAttest(app, params(account, { "hcaptcha-site-key": undefined })),
      400,
      ["hcap-param-mismatch"],
    );
    await expectErrors(await postAttest(app, params(account, { "hcaptcha-site-key": "" })), 400, [
      "hcap-empty-site-key",
    ]);
    await expectErrors(await postAttest(app, params(account, { "hcaptcha-token": "" })), 400, [
      "hcap-empty-token",
    ]);
    const unknown = await postAttest(app, params(account, { "hcaptcha-site-key": "aaaaa12345" }));
    const body = await expectErrors(unknown, 400, ["hcap-site-key-not-found"]);
    expect(body.errors["hcap-site-key-not-found"]).toBe("aaaaa12345");
  });

  it("answers 502 hcap-token-check when siteverify cannot be reached", async () => {
    const { app, account, logs } = testApp({
      settings: { hcaptchaSiteverifyUrl: await closedPortUrl() },
    });
    const body = await expectErrors(await postAttest(app, params(account)), 502, [
      "hcap-token-check",
    ]);
    expect(body).toEqual({
      message: "Bad Gateway",
      errors: { "hcap-token-check": "siteverify unreachable" },
    });
    expect(logs.at(-1)).toMatchObject({ outcome: "error", codes: ["hcap-token-check"] });
  });

  it("accepts the parameters in the query string too", async () => {
    const { app, account } = testApp({
      settings: { hcaptchaSiteverifyUrl: await closedPortUrl() },
    });
    const query = `?${new URLSearchParams(params(account))}`;
    const res = await app.request(`/attest${query}`, { method: "POST" }, connEnv());
    // Validation passed: the request got as far as the (unreachable) upstream.
    await expectErrors(res, 502, ["hcap-token-check"]);
  });
});
