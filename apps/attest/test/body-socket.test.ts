import type { RunningService } from "@shapes/node-service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RawResponse, rawHttp } from "./helpers/raw-http.js";
import { serveOnSocket } from "./helpers/serve-on-socket.js";
import { testApp } from "./helpers/test-app.js";

const BODY_TIMEOUT_MS = 300;
const MAX_BODY_BYTES = 200;

/** The answer to a body that stalled: rqst-body-read-fail, once the body timeout has passed. */
function expectBodyTimeout(response: RawResponse): void {
  expect(response.status).toBe(400);
  expect(JSON.parse(response.body)).toEqual({
    message: "Bad Request",
    errors: { "rqst-body-read-fail": `body not received within ${BODY_TIMEOUT_MS} ms` },
  });
  expect(response.elapsedMs).toBeGreaterThanOrEqual(BODY_TIMEOUT_MS - 20);
  expect(response.elapsedMs).toBeLessThan(BODY_TIMEOUT_MS + 1500);
}

describe("POST /attest body limits over a real socket", () => {
  let service: RunningService;

  beforeAll(async () => {
    const { app } = testApp({
      settings: { bodyTimeoutMs: BODY_TIMEOUT_MS, maxBodyBytes: MAX_BODY_BYTES },
    });
    service = await serveOnSocket(app);
  });
  afterAll(() => service.close());

  it("answers rqst-body-read-fail when the body stalls short of its Content-Length", async () => {
    const response = await rawHttp(service.port, (write) => {
      write(
        "POST /attest HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
          "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n",
      );
      write("api=localh"); // 10 of the promised 100 bytes, then nothing
    });
    expectBodyTimeout(response);
  });

  it("answers rqst-body-read-fail when a chunked body (no Content-Length) stalls", async () => {
    const response = await rawHttp(service.port, (write) => {
      write(
        "POST /attest HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
          "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n",
      );
      write("a\r\napi=localh\r\n"); // one chunk, then neither more nor the last chunk
    });
    expectBodyTimeout(response);
  });

  it("reads a whole Content-Length body and a whole chunked one alike", async () => {
    const form = "api=localhost&approov-site-key=nope";
    const declared = await rawHttp(service.port, (write) => {
      write(
        "POST /attest HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" +
          `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${form.length}\r\n\r\n${form}`,
      );
    });
    const chunked = await rawHttp(service.port, (write) => {
      write(
        "POST /attest HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" +
          "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n" +
          `${form.length.toString(16)}\r\n${form}\r\n0\r\n\r\n`,
      );
    });
    // Both parsed the same way: the site key is refused, so the body was read in full.
    expect(declared.status).toBe(400);
    expect(chunked.status).toBe(400);
    expect(Object.keys(JSON.parse(declared.body).errors)).toContain("aprv-no-matching-account");
    expect(JSON.parse(chunked.body)).toEqual(JSON.parse(declared.body));
  });

  it("answers rqst-body-too-large for a chunked body that outgrows the limit", async () => {
    const response = await rawHttp(service.port, async (write) => {
      write(
        "POST /attest HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
          "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n",
      );
      // Never terminated: only the size limit can end this request.
      for (let i = 0; i < 5; i++) {
        write(`64\r\n${"a".repeat(100)}\r\n`);
        await new Promise((r) => setTimeout(r, 20));
      }
    });
    expect(response.status).toBe(413);
    expect(Object.keys(JSON.parse(response.body).errors)).toEqual(["rqst-body-too-large"]);
    expect(response.elapsedMs).toBeLessThan(BODY_TIMEOUT_MS);
  });

  it("answers rqst-body-too-large from Content-Length before reading the body", async () => {
    const response = await rawHttp(service.port, (write) => {
      write(
        "POST /attest HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
          "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n",
      );
    });
    expect(response.status).toBe(413);
    expect(Object.keys(JSON.parse(response.body).errors)).toEqual(["rqst-body-too-large"]);
    expect(response.elapsedMs).toBeLessThan(BODY_TIMEOUT_MS);
  });

  it("still serves the next request afterwards", async () => {
    const res = await fetch(`${service.url}/healthz`);
    expect(await res.json()).toEqual({ status: "ok" });
  });
});
