import { HEADERS } from "@shapes/protocol";
import { Hono } from "hono";
import { beforeAll, describe, expect, it } from "vitest";
import {
  DPOP_NONCE_ERROR_CODES,
  DpopProofError,
  MemoryReplayStore,
  verifyDpopProof,
} from "../src/index.js";
import { makeKey, type ProofKey, proofClaims, signProof } from "./dpop-proofs.js";

const URL_BASE = "http://api.example.com";
const NONCE = "server-nonce-1";

/** The README example: a route that requires a DPoP proof with a server nonce. */
function createApp() {
  const replay = new MemoryReplayStore();
  const app = new Hono();
  app.post("/orders", async (c) => {
    try {
      const { jkt } = await verifyDpopProof(c.req.header(HEADERS.dpop), {
        method: c.req.method,
        url: c.req.url,
        replay,
        nonce: (nonce) => nonce === NONCE,
      });
      return c.json({ jkt });
    } catch (error) {
      if (!(error instanceof DpopProofError)) throw error;
      if (DPOP_NONCE_ERROR_CODES.includes(error.code)) {
        c.header(HEADERS.dpopNonce, NONCE);
        c.header(HEADERS.wwwAuthenticate, 'DPoP error="use_dpop_nonce"');
        return c.json({ error: "use_dpop_nonce" }, 401);
      }
      c.header(HEADERS.wwwAuthenticate, 'DPoP error="invalid_dpop_proof"');
      return c.json({ error: "invalid_dpop_proof", code: error.code }, 401);
    }
  });
  return app;
}

let key: ProofKey;
beforeAll(async () => {
  key = await makeKey();
});

function post(app: Hono, proof?: string, path = "/orders") {
  return app.request(`${URL_BASE}${path}`, {
    method: "POST",
    headers: proof ? { [HEADERS.dpop]: proof } : {},
  });
}

describe("a Hono route reading the DPoP header", () => {
  it("asks for a nonce, accepts a proof with it, and refuses its replay", async () => {
    const app = createApp();
    const now = Math.floor(Date.now() / 1000);
    const htu = `${URL_BASE}/orders`;
    const first = await post(app, await signProof(key, proofClaims({ htu, iat: now })));
    expect(first.status).toBe(401);
    expect(first.headers.get("DPoP-Nonce")).toBe(NONCE);
    expect(first.headers.get("WWW-Authenticate")).toBe('DPoP error="use_dpop_nonce"');

    const proof = await signProof(key, proofClaims({ htu, iat: now, nonce: NONCE }));
    const second = await post(app, proof);
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ jkt: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });

    const replayed = await post(app, proof);
    expect(replayed.status).toBe(401);
    expect(await replayed.json()).toEqual({ error: "invalid_dpop_proof", code: "replayed" });
  });

  it("refuses a missing proof and one made for another URL", async () => {
    const app = createApp();
    expect(await (await post(app)).json()).toMatchObject({ code: "missing" });
    const proof = await signProof(
      key,
      proofClaims({ htu: `${URL_BASE}/other`, iat: Math.floor(Date.now() / 1000) }),
    );
    const response = await post(app, proof, "/orders?x=1");
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: "htu-mismatch" });
  });
});
