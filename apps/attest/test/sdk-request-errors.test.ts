import type { RunningService } from "@shapes/node-service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectErrorAnswer, recordErrorCodes } from "./helpers/error-codes.js";
import { rawHttp } from "./helpers/raw-http.js";
import { type SdkTestApp, sdkApp, tokenForm } from "./helpers/sdk-setup.js";
import { serveOnSocket } from "./helpers/serve-on-socket.js";
import { connEnv } from "./helpers/test-app.js";

/**
 * The request-level codes (rqst-*) on the SDK's `POST /token`: the same body pipeline as
 * `/attest`, answered before the DPoP proof is looked at (nothing of the request is read).
 */

const MAX_BODY_BYTES = 300;

let setup: SdkTestApp;
beforeAll(async () => {
  setup = await sdkApp({ settings: { maxBodyBytes: MAX_BODY_BYTES, bodyTimeoutMs: 200 } });
});

/** A /token request with a proof carrying the latest nonce. */
async function postToken(body: RequestInit["body"], headers: Record<string, string> = {}) {
  const proof = await setup.client.proof("/token");
  const init = { method: "POST", body, headers: { DPoP: proof, ...headers } };
  const streaming = body instanceof ReadableStream ? { duplex: "half" } : {};
  const res = await setup.app.request(
    "/token",
    { ...init, ...streaming } as RequestInit,
    connEnv(),
  );
  const nonce = res.headers.get("dpop-nonce");
  if (nonce) setup.client.nonce = nonce;
  return res;
}

const FORM = { "content-type": "application/x-www-form-urlencoded" };

describe("POST /token request errors (rqst-*)", () => {
  it("rqst-body-too-large", async () => {
    const big = new URLSearchParams(tokenForm(setup.account, { payload: "x".repeat(400) }));
    const body = await expectErrorAnswer(await postToken(big), "token", 413, [
      "rqst-body-too-large",
    ]);
    expect(body.message).toBe("Payload Too Large");
  });

  it("rqst-body-read-fail: a broken body stream", async () => {
    const broken = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("api=local"));
        controller.error(new Error("connection reset"));
      },
    });
    await expectErrorAnswer(await postToken(broken, FORM), "token", 400, ["rqst-body-read-fail"]);
  });

  it("rqst-body-parse: JSON, bad percent-encoding", async () => {
    const json = JSON.stringify(Object.fromEntries(tokenForm(setup.account)));
    await expectErrorAnswer(
      await postToken(json, { "content-type": "application/json" }),
      "token",
      400,
      ["rqst-body-parse"],
    );
    await expectErrorAnswer(await postToken("api=%zz", FORM), "token", 400, ["rqst-body-parse"]);
  });

  it("rqst-illegal-params: unknown and repeated names, and any query string", async () => {
    const hash = Buffer.alloc(32, 1).toString("base64url");
    const form = [
      ...tokenForm(setup.account),
      ["apikey", "1"],
      ["payload", hash],
      ["payload", hash],
    ];
    const res = await setup.client.post(setup.app, "/token", form as [string, string][]);
    const body = await expectErrorAnswer(res, "token", 400, ["rqst-illegal-params"]);
    expect(body.errors["rqst-illegal-params"]).toBe("apikey, repeated: payload");

    const query = await setup.app.request(
      "/token?api=localhost",
      {
        method: "POST",
        body: new URLSearchParams(tokenForm(setup.account)),
        headers: { DPoP: await setup.client.proof("/token") },
      },
      connEnv(),
    );
    const queryBody = await expectErrorAnswer(query, "token", 400, ["rqst-illegal-params"]);
    expect(queryBody.errors["rqst-illegal-params"]).toBe("query string: send a form body");
  });
});

describe("POST /token body limits over a real socket", () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await serveOnSocket(setup.app);
  });
  afterAll(() => service.close());

  it("rqst-body-read-fail when the body stalls short of its Content-Length", async () => {
    const response = await rawHttp(service.port, (write) => {
      write(
        "POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
          "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\napi=loc",
      );
    });
    expect(response.status).toBe(400);
    const body = JSON.parse(response.body);
    expect(body).toEqual({
      message: "Bad Request",
      errors: { "rqst-body-read-fail": "body not received within 200 ms" },
    });
    recordErrorCodes("token", body.errors);
    // The SDK endpoints answer a nonce even for a request they could not read.
    expect(response.headers["dpop-nonce"]).toBeTruthy();
  });
});
