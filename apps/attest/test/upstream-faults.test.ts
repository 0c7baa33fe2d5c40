import { type ApproovErrorBody, HCAPTCHA_TEST_KEYS } from "@shapes/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { recordErrorCodes } from "./helpers/error-codes.js";
import {
  closedPortUrl,
  type FaultServer,
  fixedAnswerServer,
  silentServer,
} from "./helpers/fault-servers.js";
import { postAttest, testApp } from "./helpers/test-app.js";

const { publisher } = HCAPTCHA_TEST_KEYS;

/** Posts the quickstart's parameters with siteverify at `url`; returns status, body, time. */
async function attestAgainst(url: string, upstreamTimeoutMs = 5000) {
  const { app, account, logs } = testApp({
    settings: { hcaptchaSiteverifyUrl: url, upstreamTimeoutMs },
  });
  const started = Date.now();
  const res = await postAttest(app, [
    ["api", "localhost"],
    ["approov-site-key", account.siteKey],
    ["hcaptcha-site-key", publisher.siteKey],
    ["hcaptcha-token", publisher.response],
  ]);
  const elapsedMs = Date.now() - started;
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  const body = (await res.json()) as ApproovErrorBody;
  recordErrorCodes("attest", body.errors);
  return { status: res.status, body, elapsedMs, logs };
}

describe("siteverify faults answer 502 hcap-token-check, never a token", () => {
  let server: FaultServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("a closed port fails fast", async () => {
    const result = await attestAgainst(await closedPortUrl());
    expect(result.status).toBe(502);
    expect(result.body.errors).toEqual({ "hcap-token-check": "siteverify unreachable" });
    expect(result.elapsedMs).toBeLessThan(1000);
  });

  it("a server that never answers is given up on after UPSTREAM_TIMEOUT_MS", async () => {
    server = await silentServer();
    const result = await attestAgainst(server.url, 300);
    expect(result.status).toBe(502);
    expect(result.body.errors).toEqual({
      "hcap-token-check": "siteverify timed out after 300 ms",
    });
    expect(result.elapsedMs).toBeGreaterThanOrEqual(280);
    expect(result.elapsedMs).toBeLessThan(1000);
    expect(result.logs.at(-1)).toMatchObject({
      outcome: "error",
      reason: "siteverify timed out after 300 ms",
      codes: ["hcap-token-check"],
    });
  });

  it("an HTTP 500 answer", async () => {
    server = await fixedAnswerServer(500, '{"success":true}');
    const result = await attestAgainst(server.url);
    expect(result.status).toBe(502);
    expect(result.body.errors).toEqual({ "hcap-token-check": "siteverify answered HTTP 500" });
  });

  it("a redirect is not followed", async () => {
    server = await fixedAnswerServer(302, "");
    const result = await attestAgainst(server.url);
    expect(result.body.errors).toEqual({ "hcap-token-check": "siteverify answered HTTP 302" });
  });

  it("non-JSON and wrong-shape JSON answers", async () => {
    for (const answer of [
      "<html>oops</html>",
      '{"success":"yes"}',
      "[true]",
      '{"success":true,"score":"high"}',
      '{"success":false,"error-codes":"invalid-input-response"}',
    ]) {
      server = await fixedAnswerServer(200, answer, "text/html");
      const result = await attestAgainst(server.url);
      expect(result.status).toBe(502);
      expect(result.body.errors).toEqual({
        "hcap-token-check": "siteverify answered malformed JSON",
      });
      await server.close();
      server = undefined;
    }
  });

  it("an oversized answer", async () => {
    server = await fixedAnswerServer(200, `{"success":true,"pad":"${"x".repeat(100_000)}"}`);
    const result = await attestAgainst(server.url);
    expect(result.body.errors).toEqual({
      "hcap-token-check": "siteverify answered more than 64 KiB",
    });
  });

  it("a refusal of our configuration (the site's secret) names the codes", async () => {
    server = await fixedAnswerServer(
      200,
      '{"success":false,"error-codes":["invalid-input-secret","invalid-input-response"]}',
    );
    const result = await attestAgainst(server.url);
    expect(result.status).toBe(502);
    expect(result.body).toEqual({
      message: "Bad Gateway",
      errors: { "hcap-token-check": "siteverify: invalid-input-secret" },
    });
  });
});
