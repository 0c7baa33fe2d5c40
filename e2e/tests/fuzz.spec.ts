// Robustness: thousands of malformed requests to attest and the Shapes API. None may get a
// 5xx or crash a service; every answer must be a documented error.
import { connect } from "node:net";
import { expect, test } from "@playwright/test";
import { isErrorCode } from "@shapes/protocol";
import {
  APPROOV_TOKEN_STATUS,
  DPOP_PROOF_STATUS,
  TOKEN_BINDING_STATUS,
} from "@shapes/verifier/hono";
import { createFuzzer, type FuzzRequest } from "../support/fuzz-inputs.js";
import { ports, readAccount, urls } from "../support/stack.js";

const REQUESTS = 10_000;
const CONCURRENCY = 16;
const SEED = Number(process.env.FUZZ_SEED ?? 1);
// Every status message the Shapes API documents: the verifier's middleware answers, the
// app's own, and the HTTP layer's for requests Node cannot parse (runService).
const SHAPES_STATUSES = new Set<string>([
  ...Object.values(APPROOV_TOKEN_STATUS),
  ...Object.values(TOKEN_BINDING_STATUS),
  ...Object.values(DPOP_PROOF_STATUS),
  "not found",
  "bad request",
  "request header fields too large",
]);

test.setTimeout(180_000);

async function send(base: string, request: FuzzRequest) {
  const response = await fetch(`${base}${request.path}`, {
    method: request.method,
    headers: request.headers,
    body: request.body instanceof Uint8Array ? Buffer.from(request.body) : request.body,
  });
  const body = await response.text();
  return { status: response.status, body, contentType: response.headers.get("content-type") ?? "" };
}

/** Why an attest answer is not one the README documents, or undefined when it is. */
function attestProblem(answer: { status: number; body: string; contentType: string }) {
  if (answer.status >= 500) return `status ${answer.status}`;
  if (answer.status === 200) {
    // Only a well-formed request gets 200; a decoy token is a JWS/JWE.
    return /^[\w-]+(\.[\w-]*){2,4}$/.test(answer.body) || answer.body.startsWith("{")
      ? undefined
      : "200 without a token";
  }
  let json: { message?: unknown; errors?: Record<string, unknown> };
  try {
    json = JSON.parse(answer.body);
  } catch {
    return `status ${answer.status} with a non-JSON body`;
  }
  if (typeof json.message !== "string" || typeof json.errors !== "object" || json.errors === null) {
    return `status ${answer.status} without {message, errors}`;
  }
  const unknown = Object.keys(json.errors).filter((code) => !isErrorCode(code));
  return unknown.length > 0 ? `undocumented codes ${unknown.join(",")}` : undefined;
}

function shapesProblem(answer: { status: number; body: string }) {
  if (answer.status >= 500) return `status ${answer.status}`;
  if (answer.status === 200) return undefined; // /v2/hello needs no token
  try {
    const json = JSON.parse(answer.body);
    return SHAPES_STATUSES.has(json.status) ? undefined : `status message "${json.status}"`;
  } catch {
    return `status ${answer.status} with a non-JSON body`;
  }
}

test(`${REQUESTS} malformed requests get documented errors, never a 5xx (seed ${SEED})`, async () => {
  const fuzzer = createFuzzer(SEED, readAccount().siteKey);
  const problems: string[] = [];
  let sent = 0;
  const worker = async () => {
    while (sent < REQUESTS) {
      sent++;
      const toAttest = fuzzer.int(3) < 2;
      const request = toAttest ? fuzzer.attestRequest() : fuzzer.shapesRequest();
      const answer = await send(toAttest ? urls.attest : urls.shapes, request);
      const problem = toAttest ? attestProblem(answer) : shapesProblem(answer);
      if (problem && problems.length < 20) {
        problems.push(
          `${request.method} ${request.path.slice(0, 60)} (${request.kind}): ${problem}`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  expect(problems, `replay with FUZZ_SEED=${SEED}`).toEqual([]);
  expect(sent).toBeGreaterThanOrEqual(REQUESTS);
});

/** Sends bytes on a raw connection and waits until the server closes it (or 5 s pass). */
function sendGarbage(port: number, junk: Uint8Array | string): Promise<"closed" | "open"> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () => socket.end(junk));
    socket.on("error", () => undefined);
    socket.resume(); // read (and drop) the answer, or the socket never ends
    socket.on("close", () => resolve("closed"));
    socket.setTimeout(5_000, () => {
      resolve("open");
      socket.destroy();
    });
  });
}

test("raw garbage on the sockets is refused and does not take a service down", async () => {
  const fuzzer = createFuzzer(SEED + 1, "x");
  const junk = [
    () => fuzzer.bytes(512),
    () => "POST /attest HTTP/1.1\r\nContent-Length: -1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    () => "GET / HTTP/1.1\r\nHost: x\r\n", // headers never finished
  ];
  const results = await Promise.all(
    [ports.attest, ports.shapes, ports.web, ports.sandbox].flatMap((port) =>
      Array.from({ length: 30 }, (_, i) =>
        sendGarbage(port, (junk[i % junk.length] as () => Uint8Array | string)()),
      ),
    ),
  );
  expect(results.filter((r) => r === "open")).toEqual([]);
  for (const base of [urls.attest, urls.shapes, urls.web, urls.sandbox]) {
    expect((await fetch(`${base}/healthz`)).status, base).toBe(200);
  }
});
