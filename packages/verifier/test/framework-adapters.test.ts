import { randomBytes } from "node:crypto";
import { HEADERS } from "@shapes/protocol";
import { calculateJwkThumbprint } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessTokenHash } from "../src/access-token-hash.js";
import { messageHash, tokenBindingHash } from "../src/index.js";
import { makeKey, type ProofKey, signProof } from "./dpop-proofs.js";
import { FRAMEWORKS, type RouteOptions, type RunningServer } from "./framework-servers.js";
import {
  ENCRYPTION_SECRET,
  encryptToken,
  nowSeconds,
  OTHER_SECRET,
  SECRET,
  signToken,
} from "./tokens.js";

/**
 * One table of cases, run against every framework adapter over a real socket: an adapter
 * cannot silently check less than the others (Hono's middleware is the reference).
 */

const MAX_BODY = 1024;
const base = { secret: SECRET, encryptionSecret: ENCRYPTION_SECRET };
const routes = (): RouteOptions => ({
  token: base,
  bound: { ...base, binding: { header: "Authorization" } },
  dpop: { ...base, dpop: { maxBodyBytes: MAX_BODY } },
});

let key: ProofKey;
let otherKey: ProofKey;
let jkt: string;
beforeAll(async () => {
  key = await makeKey();
  otherKey = await makeKey();
  jkt = await calculateJwkThumbprint(key.jwk, "sha256");
});

interface Call {
  path: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
}

interface Case {
  name: string;
  /** One or more calls; the last one's answer is checked. */
  calls: (url: string) => Promise<Call[]>;
  status: number;
  body?: unknown;
  challenge?: string;
}

const boundToken = () => signToken({ exp: nowSeconds() + 300, cnf: { jkt } });

async function proofFor(
  url: string,
  token: string,
  method: "GET" | "POST" = "GET",
  extra: Record<string, unknown> = {},
  signer: ProofKey = key,
) {
  return signProof(signer, {
    jti: randomBytes(12).toString("base64url"),
    // The application nonce each proof carries once (as approov.js sends).
    nonce: randomBytes(12).toString("base64url"),
    htm: method,
    htu: `${url}/v2/dpop`,
    iat: nowSeconds(),
    ath: accessTokenHash(token),
    ...extra,
  });
}

const CASES: Case[] = [
  {
    name: "no token: 400",
    calls: async () => [{ path: "/v2/shapes" }],
    status: 400,
    body: { status: "missing approov token" },
  },
  {
    name: "a token that is not one: 401",
    calls: async () => [{ path: "/v2/shapes", headers: { [HEADERS.approovToken]: "abc.def.ghi" } }],
    status: 401,
    body: { status: "invalid approov token" },
  },
  {
    name: "an expired token: 401",
    calls: async () => [
      {
        path: "/v2/shapes",
        headers: { [HEADERS.approovToken]: await signToken({ exp: nowSeconds() - 60 }) },
      },
    ],
    status: 401,
    body: { status: "invalid approov token" },
  },
  {
    name: "another key's token: 401",
    calls: async () => [
      {
        path: "/v2/shapes",
        headers: {
          [HEADERS.approovToken]: await signToken({ exp: nowSeconds() + 60 }, OTHER_SECRET),
        },
      },
    ],
    status: 401,
  },
  {
    name: "a valid token: 200",
    calls: async () => [
      { path: "/v2/shapes", headers: { [HEADERS.approovToken]: await signToken() } },
    ],
    status: 200,
    body: { shape: "Circle", status: "Circle (approoved)" },
  },
  {
    name: "a JWE token (an API added with -jwe): 200",
    calls: async () => [
      { path: "/v2/shapes", headers: { [HEADERS.approovToken]: await encryptToken() } },
    ],
    status: 200,
  },
  {
    name: "a token bound to another Authorization value: 401",
    calls: async () => [
      {
        path: "/v2/bound",
        headers: {
          [HEADERS.approovToken]: await signToken({
            exp: nowSeconds() + 60,
            pay: tokenBindingHash("Bearer someone-else"),
          }),
          Authorization: "Bearer me",
        },
      },
    ],
    status: 401,
    body: { status: "invalid approov bound token" },
  },
  {
    name: "a token bound to this Authorization value: 200",
    calls: async () => [
      {
        path: "/v2/bound",
        headers: {
          [HEADERS.approovToken]: await signToken({
            exp: nowSeconds() + 60,
            pay: tokenBindingHash("Bearer me"),
          }),
          Authorization: "Bearer me",
        },
      },
    ],
    status: 200,
  },
  {
    name: "a valid DPoP proof: 200",
    calls: async (url) => {
      const token = await boundToken();
      return [
        {
          path: "/v2/dpop",
          headers: { [HEADERS.approovToken]: token, DPoP: await proofFor(url, token) },
        },
      ];
    },
    status: 200,
  },
  {
    name: "a replayed DPoP proof: 401 replayed",
    calls: async (url) => {
      const token = await boundToken();
      const headers = { [HEADERS.approovToken]: token, DPoP: await proofFor(url, token) };
      return [
        { path: "/v2/dpop", headers },
        { path: "/v2/dpop", headers },
      ];
    },
    status: 401,
    body: { status: "invalid dpop proof" },
    challenge: 'error_description="replayed"',
  },
  {
    name: "a DPoP proof for another URL: 401 htu-mismatch",
    calls: async (url) => {
      const token = await boundToken();
      const proof = await proofFor(url, token, "GET", { htu: `${url}/v2/other` });
      return [{ path: "/v2/dpop", headers: { [HEADERS.approovToken]: token, DPoP: proof } }];
    },
    status: 401,
    challenge: 'error_description="htu-mismatch"',
  },
  {
    name: "a DPoP proof by another key than the token's: 401 jkt-mismatch",
    calls: async (url) => {
      const token = await boundToken();
      const proof = await proofFor(url, token, "GET", {}, otherKey);
      return [{ path: "/v2/dpop", headers: { [HEADERS.approovToken]: token, DPoP: proof } }];
    },
    status: 401,
    challenge: 'error_description="jkt-mismatch"',
  },
  {
    name: "a POST whose proof's msgs is its JSON body's hash: 200, the handler still reads it",
    calls: async (url) => {
      const token = await boundToken();
      const body = JSON.stringify({ order: "circle", count: 2 });
      const proof = await proofFor(url, token, "POST", { msgs: messageHash(body) });
      return [
        {
          path: "/v2/dpop",
          method: "POST",
          headers: {
            [HEADERS.approovToken]: token,
            DPoP: proof,
            "Content-Type": "application/json",
          },
          body,
        },
      ];
    },
    status: 200,
    body: { received: { order: "circle", count: 2 } },
  },
  {
    name: "a POST whose body is not what the proof's msgs covers: 401",
    calls: async (url) => {
      const token = await boundToken();
      const proof = await proofFor(url, token, "POST", { msgs: messageHash('{"order":"square"}') });
      return [
        {
          path: "/v2/dpop",
          method: "POST",
          headers: {
            [HEADERS.approovToken]: token,
            DPoP: proof,
            "Content-Type": "application/json",
          },
          body: '{"order":"circle"}',
        },
      ];
    },
    status: 401,
    body: { status: "invalid dpop proof" },
  },
  {
    name: "a body larger than the limit: 413",
    calls: async (url) => {
      const token = await boundToken();
      const body = JSON.stringify({ pad: "x".repeat(MAX_BODY * 2) });
      const proof = await proofFor(url, token, "POST", { msgs: messageHash(body) });
      return [
        {
          path: "/v2/dpop",
          method: "POST",
          headers: {
            [HEADERS.approovToken]: token,
            DPoP: proof,
            "Content-Type": "application/json",
          },
          body,
        },
      ];
    },
    status: 413,
    body: { status: "request body too large" },
  },
];

describe.each(Object.keys(FRAMEWORKS))("%s", (framework) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await (FRAMEWORKS[framework] as (o: RouteOptions) => Promise<RunningServer>)(routes());
  });
  afterAll(() => server?.close());

  it.each(CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    let answer: Response | undefined;
    for (const call of await c.calls(server.url)) {
      answer = await fetch(`${server.url}${call.path}`, {
        method: call.method ?? "GET",
        headers: call.headers ?? {},
        ...(call.body === undefined ? {} : { body: call.body }),
      });
    }
    const res = answer as Response;
    expect(res.status).toBe(c.status);
    if (c.body !== undefined) expect(await res.json()).toEqual(c.body);
    if (c.challenge !== undefined) {
      expect(res.headers.get("www-authenticate")).toContain('DPoP error="invalid_dpop_proof"');
      expect(res.headers.get("www-authenticate")).toContain(c.challenge);
    }
  });
});
