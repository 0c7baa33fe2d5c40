import { randomBytes } from "node:crypto";
import { Hono } from "hono";
import { beforeAll, describe, expect, it } from "vitest";
import { approovToken, type DpopProofMiddlewareOptions, dpopProof } from "../src/hono.js";
import {
  ApproovConfigError,
  accessTokenHash,
  createApproovTokenVerifier,
  DPOP_PROOF_ERROR_CODES,
  type DpopProofErrorCode,
  EMPTY_MESSAGE_HASH,
  jwkThumbprint,
  MemoryReplayStore,
  messageHash,
} from "../src/index.js";
import { makeKey, NOW_S, now, type ProofKey, signProof, swapPart } from "./dpop-proofs.js";
import { nowSeconds, SECRET, signToken } from "./tokens.js";

const ORIGIN = "http://api.example.com";
const SHAPES_URL = `${ORIGIN}/v2/dpop/shapes`;
const ORDERS_URL = `${ORIGIN}/orders`;

let key: ProofKey;
let otherKey: ProofKey;
let token: string;

beforeAll(async () => {
  key = await makeKey();
  otherKey = await makeKey();
  token = await signToken({ exp: nowSeconds() + 300, cnf: { jkt: await jwkThumbprint(key.jwk) } });
});

function createApp(options: DpopProofMiddlewareOptions = {}) {
  const verify = createApproovTokenVerifier({ secret: SECRET });
  const dpop = dpopProof({ now, replay: new MemoryReplayStore({ now }), ...options });
  const app = new Hono();
  app.get("/v2/dpop/shapes", approovToken({ verify }), dpop, (c) =>
    c.json({ shape: "Circle", jkt: c.var.dpopProof.jkt }),
  );
  app.post("/orders", approovToken({ verify }), dpop, async (c) =>
    c.json({ received: await c.req.json() }),
  );
  app.get("/misordered", dpop, (c) => c.json({}));
  app.onError((_error, c) => c.json({ status: "internal error" }, 500));
  return app;
}

const nonce = () => randomBytes(16).toString("base64url");

/** A proof for GET /v2/dpop/shapes with this token; `claims` overrides any claim. */
function proof(
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
  signer: ProofKey = key,
) {
  return signProof(
    signer,
    {
      jti: randomBytes(16).toString("base64url"),
      htm: "GET",
      htu: SHAPES_URL,
      iat: NOW_S,
      ath: accessTokenHash(token),
      nonce: nonce(),
      ...claims,
    },
    header,
  );
}

async function get(app: Hono, headers: Record<string, string>, url = SHAPES_URL) {
  const response = await app.request(url, { headers });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    challenge: response.headers.get("WWW-Authenticate"),
  };
}

const challenge = (code: string) =>
  `DPoP error="invalid_dpop_proof", error_description="${code}", algs="ES256"`;

interface Case {
  name: string;
  code: DpopProofErrorCode;
  /** The DPoP header, or undefined for none; may first send other requests to `app`. */
  dpop: (app: Hono) => Promise<string | undefined>;
  approovToken?: () => Promise<string>;
}

const CASES: Case[] = [
  { name: "no DPoP header", code: "missing", dpop: async () => undefined },
  { name: "garbage", code: "malformed", dpop: async () => "not.a-proof" },
  { name: "wrong typ", code: "bad-typ", dpop: () => proof({}, { typ: "JWT" }) },
  {
    name: "alg not allowed (ES384)",
    code: "bad-alg",
    dpop: async () =>
      signProof(await makeKey("ES384"), {
        jti: nonce(),
        htm: "GET",
        htu: SHAPES_URL,
        iat: NOW_S,
        ath: accessTokenHash(token),
        nonce: nonce(),
      }),
  },
  { name: "private jwk", code: "private-key", dpop: () => proof({}, { jwk: key.privateJwk }) },
  { name: "no jwk", code: "bad-jwk", dpop: () => proof({}, { jwk: undefined }) },
  {
    name: "signature of another proof",
    code: "bad-signature",
    dpop: async () => swapPart(await proof(), 2, (await proof()).split(".")[2] ?? ""),
  },
  { name: "no jti", code: "missing-claim", dpop: () => proof({ jti: undefined }) },
  { name: "wrong htm", code: "htm-mismatch", dpop: () => proof({ htm: "POST" }) },
  {
    name: "htu with another host",
    code: "htu-mismatch",
    dpop: () => proof({ htu: "http://evil.example.com/v2/dpop/shapes" }),
  },
  {
    name: "htu with another path",
    code: "htu-mismatch",
    dpop: () => proof({ htu: `${ORIGIN}/v2/shapes` }),
  },
  {
    name: "htu with a query",
    code: "htu-mismatch",
    dpop: () => proof({ htu: `${SHAPES_URL}?a=1` }),
  },
  { name: "stale iat", code: "iat-stale", dpop: () => proof({ iat: NOW_S - 301 }) },
  { name: "future iat", code: "iat-future", dpop: () => proof({ iat: NOW_S + 60 }) },
  {
    name: "ath of another token",
    code: "ath-mismatch",
    dpop: () => proof({ ath: accessTokenHash("another token") }),
  },
  {
    name: "key other than the token's cnf",
    code: "jkt-mismatch",
    dpop: async () => {
      const claims = {
        jti: nonce(),
        htm: "GET",
        htu: SHAPES_URL,
        iat: NOW_S,
        ath: accessTokenHash(token),
        nonce: nonce(),
      };
      return signProof(otherKey, claims);
    },
  },
  {
    name: "msgs not the request's message hash",
    code: "msgs-mismatch",
    dpop: () => proof({ msgs: messageHash("some other body") }),
  },
  { name: "no nonce", code: "missing-nonce", dpop: () => proof({ nonce: undefined }) },
  { name: "nonce not a string", code: "bad-nonce", dpop: () => proof({ nonce: { n: 1 } }) },
  { name: "nonce too long", code: "bad-nonce", dpop: () => proof({ nonce: "n".repeat(513) }) },
  {
    // One replay entry per proof: a reused nonce is a replay, whatever the jti.
    name: "nonce already used by an accepted proof",
    code: "replayed",
    dpop: async (app) => {
      const reused = nonce();
      const first = await get(app, {
        "Approov-Token": token,
        DPoP: await proof({ nonce: reused }),
      });
      expect(first.status).toBe(200);
      return proof({ nonce: reused });
    },
  },
  {
    name: "the same proof sent twice",
    code: "replayed",
    dpop: async (app) => {
      const once = await proof();
      expect((await get(app, { "Approov-Token": token, DPoP: once })).status).toBe(200);
      return once;
    },
  },
  {
    name: "token without cnf",
    code: "unbound-token",
    dpop: () => proof(),
    approovToken: () => signToken({ exp: nowSeconds() + 300 }),
  },
];

describe("dpopProof middleware: every failure (table)", () => {
  it.each(CASES)("$name -> 401 $code", async ({ code, dpop, approovToken: tokenFor }) => {
    const app = createApp();
    const headers: Record<string, string> = {
      "Approov-Token": tokenFor ? await tokenFor() : token,
    };
    const value = await dpop(app);
    if (value !== undefined) headers.DPoP = value;
    const answer = await get(app, headers);
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ status: "invalid dpop proof" });
    expect(answer.challenge).toBe(challenge(code));
  });

  it("covers every DpopProofError code", () => {
    const covered = new Set(CASES.map((c) => c.code));
    expect([...covered].sort()).toEqual(Object.keys(DPOP_PROOF_ERROR_CODES).sort());
  });

  it("does not check the proof of a request whose token is refused", async () => {
    const answer = await get(createApp(), { "Approov-Token": "x.y.z", DPoP: await proof() });
    expect(answer).toMatchObject({ status: 401, body: { status: "invalid approov token" } });
    expect(answer.challenge).toBeNull();
  });
});

describe("dpopProof middleware: accepted requests", () => {
  it("accepts a GET with a bound proof and exposes it to the handler", async () => {
    const app = createApp();
    const answer = await get(app, { "Approov-Token": token, DPoP: await proof() });
    expect(answer).toEqual({
      status: 200,
      body: { shape: "Circle", jkt: await jwkThumbprint(key.jwk) },
      challenge: null,
    });
  });

  it("GET: msgs, when present, is the hash of the empty body", async () => {
    const app = createApp();
    const ok = await get(app, {
      "Approov-Token": token,
      DPoP: await proof({ msgs: EMPTY_MESSAGE_HASH }),
    });
    expect(ok.status).toBe(200);
    expect(EMPTY_MESSAGE_HASH).toBe("47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
  });

  it("POST: msgs is the hash of the body, which the handler can still read", async () => {
    const app = createApp();
    const body = JSON.stringify({ order: "square", qty: 2 });
    const post = async (msgs: string, payload: string) =>
      app.request(ORDERS_URL, {
        method: "POST",
        headers: {
          "Approov-Token": token,
          DPoP: await proof({ htm: "POST", htu: ORDERS_URL, msgs }),
          "Content-Type": "application/json",
        },
        body: payload,
      });
    const ok = await post(messageHash(body), body);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ received: { order: "square", qty: 2 } });

    const tampered = await post(messageHash(body), body.replace("2", "20"));
    expect(tampered.status).toBe(401);
    expect(tampered.headers.get("WWW-Authenticate")).toBe(challenge("msgs-mismatch"));

    // A streamed body (no Content-Length) is hashed the same way.
    const stream = new Blob([body]).stream();
    const streamed = await app.request(ORDERS_URL, {
      method: "POST",
      headers: {
        "Approov-Token": token,
        DPoP: await proof({ htm: "POST", htu: ORDERS_URL, msgs: messageHash(body) }),
      },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(200);
    expect(await streamed.json()).toEqual({ received: { order: "square", qty: 2 } });
  });

  it("answers 413 for a body over maxBodyBytes, declared or streamed", async () => {
    const app = createApp({ maxBodyBytes: 16 });
    const big = JSON.stringify({ text: "x".repeat(100) });
    const declared = await app.request(ORDERS_URL, {
      method: "POST",
      headers: { "Approov-Token": token, DPoP: await proof({ htm: "POST", htu: ORDERS_URL }) },
      body: big,
    });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({ status: "request body too large" });
    const streamed = await app.request(ORDERS_URL, {
      method: "POST",
      headers: { "Approov-Token": token, DPoP: await proof({ htm: "POST", htu: ORDERS_URL }) },
      body: new Blob([big]).stream(),
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it("uses a custom messageHash, and skips msgs when it answers undefined", async () => {
    const signed = createApp({ messageHash: (c) => c.req.header("X-Signature") });
    const withHeader = await get(signed, {
      "Approov-Token": token,
      "X-Signature": "sig-1",
      DPoP: await proof({ msgs: "sig-1" }),
    });
    expect(withHeader.status).toBe(200);
    const noHeader = await get(signed, {
      "Approov-Token": token,
      DPoP: await proof({ msgs: "anything" }),
    });
    expect(noHeader.status).toBe(200);
  });

  it("behind a TLS proxy, htu is the public origin + path", async () => {
    const app = createApp({ publicOrigin: "https://shapes.example.com/" });
    const internal = "http://127.0.0.1:8002/v2/dpop/shapes?x=1";
    const publicHtu = "https://shapes.example.com/v2/dpop/shapes";
    expect(
      (await get(app, { "Approov-Token": token, DPoP: await proof({ htu: publicHtu }) }, internal))
        .status,
    ).toBe(200);
    const direct = await get(
      app,
      {
        "Approov-Token": token,
        DPoP: await proof({ htu: "http://127.0.0.1:8002/v2/dpop/shapes" }),
      },
      internal,
    );
    expect(direct.challenge).toBe(challenge("htu-mismatch"));
  });

  it("lists the allowed algorithms in the challenge", async () => {
    const app = createApp({ allowedAlgorithms: ["ES256", "EdDSA"] });
    const answer = await get(app, { "Approov-Token": token });
    expect(answer.challenge).toBe(
      'DPoP error="invalid_dpop_proof", error_description="missing", algs="ES256 EdDSA"',
    );
  });
});

describe("dpopProof middleware: setup errors", () => {
  it("refuses bad options when it is created", () => {
    for (const options of [
      { allowedAlgorithms: ["HS256"] },
      { allowedAlgorithms: [] },
      { publicOrigin: "shapes.example.com" },
      { publicOrigin: "https://shapes.example.com/api" },
      { publicOrigin: "ftp://shapes.example.com" },
      { maxAgeSeconds: 0 },
      { maxBodyBytes: -1 },
    ] as DpopProofMiddlewareOptions[]) {
      expect(() => dpopProof(options), JSON.stringify(options)).toThrow(ApproovConfigError);
    }
  });

  it("without approovToken() before it, answers 500 (a server bug), not 401", async () => {
    const response = await createApp().request(`${ORIGIN}/misordered`, {
      headers: { DPoP: await proof() },
    });
    expect(response.status).toBe(500);
  });
});
