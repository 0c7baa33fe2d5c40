import nodeCrypto, { randomBytes } from "node:crypto";
import { Hono } from "hono";
import { type CryptoKey, calculateJwkThumbprint, importJWK } from "jose";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { canonicalJwk, canonicalJwkThumbprint } from "../src/canonical-jwk.js";
import { publicJwkFor } from "../src/dpop-jwk.js";
import { DpopKeyCache } from "../src/dpop-key-cache.js";
import { approovToken, dpopProof } from "../src/hono.js";
import {
  ApproovConfigError,
  accessTokenHash,
  createApproovTokenVerifier,
  createDpopProofVerifier,
  DEFAULT_DPOP_KEY_CACHE_SIZE,
  DpopProofError,
  type DpopProofErrorCode,
  type DpopProofVerifier,
  MemoryReplayStore,
  verifyDpopProof,
} from "../src/index.js";
import {
  makeKey,
  NOW_S,
  now,
  type ProofKey,
  proofClaims,
  REQUEST_URL,
  signProof,
} from "./dpop-proofs.js";
import { nowSeconds, SECRET, signToken } from "./tokens.js";

// Counts the real key imports (node:crypto for ECDSA, jose for the others): a cache hit must
// not import, a miss must.
vi.mock("jose", async (importOriginal) => {
  const actual = await importOriginal<typeof import("jose")>();
  return { ...actual, importJWK: vi.fn(actual.importJWK) };
});
const joseImports = vi.mocked(importJWK);
const nodeImports = vi.spyOn(nodeCrypto, "createPublicKey");
const importCount = () => joseImports.mock.calls.length + nodeImports.mock.calls.length;
function clearImports(): void {
  joseImports.mockClear();
  nodeImports.mockClear();
}

const request = { method: "POST", url: REQUEST_URL };

async function refusal(verify: DpopProofVerifier, proof: string): Promise<DpopProofErrorCode> {
  try {
    await verify(proof, request);
  } catch (error) {
    expect(error).toBeInstanceOf(DpopProofError);
    return (error as DpopProofError).code;
  }
  throw new Error("the proof was accepted");
}

/** The RFC 7638 section 3.1 example key and its published thumbprint. */
const RFC7638_KEY = {
  kty: "RSA",
  n: "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
  e: "AQAB",
  alg: "RS256",
  kid: "2011-04-29",
};

let keys: ProofKey[];

beforeAll(async () => {
  keys = await Promise.all(Array.from({ length: 5 }, () => makeKey()));
});

beforeEach(() => {
  clearImports();
});

describe("canonical JWK and thumbprint", () => {
  it("gives the RFC 7638 example's canonical JSON and published thumbprint", async () => {
    const canonical = canonicalJwk(publicJwkFor(RFC7638_KEY, "RS256"));
    expect(canonical).toBe(`{"e":"AQAB","kty":"RSA","n":"${RFC7638_KEY.n}"}`);
    expect(canonicalJwkThumbprint(canonical)).toBe("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    expect(await calculateJwkThumbprint(RFC7638_KEY, "sha256")).toBe(
      canonicalJwkThumbprint(canonical),
    );
  });

  it.each(["ES256", "ES384", "ES512", "EdDSA", "RS256", "PS256"])(
    "equals jose calculateJwkThumbprint for an %s key, and is the verified jkt",
    async (alg) => {
      const key = await makeKey(alg);
      // Extra members (as a client may send them) change neither value.
      const sent = { ...key.jwk, use: "sig", key_ops: ["verify"], ext: true };
      const expected = await calculateJwkThumbprint(key.jwk, "sha256");
      const jkt = canonicalJwkThumbprint(canonicalJwk(publicJwkFor(sent, alg as "ES256")));
      expect(jkt).toBe(expected);
      const verify = createDpopProofVerifier({ now, algorithms: [alg] });
      for (let i = 0; i < 2; i++) {
        const proof = await signProof(key, proofClaims(), { jwk: sent });
        expect((await verify(proof, request)).jkt).toBe(expected);
      }
      expect(verify.keyCacheSize).toBe(1);
    },
  );
});

describe("DPoP key cache", () => {
  it("imports a key on a miss and reuses it on a hit", async () => {
    const verify = createDpopProofVerifier({ now, replay: new MemoryReplayStore({ now }) });
    const [a, b] = keys as [ProofKey, ProofKey];
    const first = await verify(await signProof(a), request);
    expect(importCount()).toBe(1);
    expect(verify.keyCacheSize).toBe(1);

    const second = await verify(await signProof(a), request);
    expect(importCount()).toBe(1);
    expect(second.jkt).toBe(first.jkt);
    expect(second.jkt).toBe(await calculateJwkThumbprint(a.jwk, "sha256"));

    await verify(await signProof(b), request);
    expect(importCount()).toBe(2);
    expect(verify.keyCacheSize).toBe(2);
  });

  it("hands out a fresh jwk object per proof", async () => {
    const verify = createDpopProofVerifier({ now });
    const key = keys[0] as ProofKey;
    const first = await verify(await signProof(key), request);
    first.jwk.x = "changed";
    const second = await verify(await signProof(key), request);
    expect(second.jwk.x).toBe(key.jwk.x);
  });

  it("still checks the signature of every proof made with a cached key", async () => {
    const verify = createDpopProofVerifier({ now });
    const [owner, attacker] = keys as [ProofKey, ProofKey];
    const good = await signProof(owner);
    await verify(good, request);
    expect(importCount()).toBe(1);

    // The owner's (cached) jwk in the header, signed by another key.
    const forged = await signProof({ ...attacker, jwk: owner.jwk });
    expect(await refusal(verify, forged)).toBe("bad-signature");
    // A valid proof with its payload swapped for another one's.
    const [header, , signature] = good.split(".");
    const other = (await signProof(owner, proofClaims({ htm: "GET" }))).split(".")[1];
    expect(await refusal(verify, `${header}.${other}.${signature}`)).toBe("bad-signature");
    // An empty signature.
    expect(await refusal(verify, `${header}.${other}.`)).toBe("bad-signature");
    // All of these were checked against the cached key, not a new import.
    expect(importCount()).toBe(1);
    await expect(verify(await signProof(owner), request)).resolves.toBeTruthy();
  });

  it("does not remember a key whose proof failed the jwk or signature checks", async () => {
    const verify = createDpopProofVerifier({ now });
    const [owner, attacker] = keys as [ProofKey, ProofKey];
    const forged = await signProof({ ...attacker, jwk: owner.jwk });
    expect(await refusal(verify, forged)).toBe("bad-signature");
    expect(await refusal(verify, forged)).toBe("bad-signature");
    expect(importCount()).toBe(2);
    // Valid base64url coordinates that are not a point on P-256: refused by the import.
    const offCurve = { ...owner.jwk, y: owner.jwk.x };
    expect(await refusal(verify, await signProof(owner, proofClaims(), { jwk: offCurve }))).toBe(
      "bad-jwk",
    );
    expect(verify.keyCacheSize).toBe(0);
  });

  it("keys the cache by alg too: one RSA jwk under RS256 and PS256", async () => {
    const rsa = await makeKey("RS256");
    // The same RSA key pair, its private half imported for RSA-PSS signing.
    const pss = await importJWK(rsa.privateJwk, "PS256");
    clearImports();
    const verify = createDpopProofVerifier({ now, algorithms: ["RS256", "PS256"] });
    const rs = await verify(await signProof(rsa), request);
    // A hit on the RS256 entry would hand jose an RSASSA-PKCS1 key for a PS256 check (a
    // TypeError, not a refusal): the PS256 proof must import its own RSA-PSS key.
    const ps = await verify(
      await signProof({ ...rsa, alg: "PS256", privateKey: pss as CryptoKey }),
      request,
    );
    expect(importCount()).toBe(2);
    expect(verify.keyCacheSize).toBe(2);
    expect(ps.jkt).toBe(rs.jkt);
    expect(rs.jkt).toBe(await calculateJwkThumbprint(rsa.jwk, "sha256"));
  });

  it("holds at most keyCacheSize keys and evicts the least recently used", async () => {
    const verify = createDpopProofVerifier({ now, keyCacheSize: 3 });
    const [k1, k2, k3, k4, k5] = keys as [ProofKey, ProofKey, ProofKey, ProofKey, ProofKey];
    for (const key of [k1, k2, k3]) await verify(await signProof(key), request);
    expect(verify.keyCacheSize).toBe(3);
    await verify(await signProof(k1), request); // k1 used again: k2 is now the oldest
    await verify(await signProof(k4), request); // evicts k2
    expect(verify.keyCacheSize).toBe(3);
    clearImports();
    for (const key of [k1, k3, k4]) await verify(await signProof(key), request);
    expect(importCount()).toBe(0);
    await verify(await signProof(k2), request);
    expect(importCount()).toBe(1);
    await verify(await signProof(k5), request);
    expect(verify.keyCacheSize).toBe(3);
  });

  it("turns off with keyCacheSize 0: every proof imports its key", async () => {
    const verify = createDpopProofVerifier({ now, keyCacheSize: 0 });
    const key = keys[0] as ProofKey;
    for (let i = 0; i < 3; i++) {
      const result = await verify(await signProof(key), request);
      expect(result.jkt).toBe(await calculateJwkThumbprint(key.jwk, "sha256"));
    }
    expect(importCount()).toBe(3);
    expect(verify.keyCacheSize).toBe(0);
  });

  it("defaults to 1 000 keys (about 8 MB) and refuses a bad keyCacheSize", () => {
    expect(DEFAULT_DPOP_KEY_CACHE_SIZE).toBe(1_000);
    for (const keyCacheSize of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, "10"]) {
      expect(() => createDpopProofVerifier({ keyCacheSize: keyCacheSize as number })).toThrowError(
        ApproovConfigError,
      );
    }
  });

  it("bounds the total key text as well as the entry count", () => {
    const cache = new DpopKeyCache(100, 50);
    const entry = { key: {} as CryptoKey, jkt: "j" };
    for (let i = 0; i < 10; i++) cache.set(`${i}`.padEnd(20, "x"), entry);
    expect(cache.size).toBe(2); // 2 x 20 characters fit in 50, 3 do not
    cache.set("y".repeat(51), entry); // larger than the whole budget: never stored
    expect(cache.size).toBe(2);
    expect(cache.get("y".repeat(51))).toBeUndefined();
    expect(cache.get("9".padEnd(20, "x"))).toBe(entry);
  });

  it("gives verifyDpopProof one shared cache across calls", async () => {
    const key = await makeKey();
    for (let i = 0; i < 3; i++) {
      await verifyDpopProof(await signProof(key), { ...request, now });
    }
    expect(importCount()).toBe(1);
    const forged = await signProof({ ...(keys[0] as ProofKey), jwk: key.jwk });
    await expect(verifyDpopProof(forged, { ...request, now })).rejects.toMatchObject({
      code: "bad-signature",
    });
  });
});

describe("createDpopProofVerifier options", () => {
  it("checks the verifier options once, when it is made", () => {
    const bad = [
      { algorithms: ["HS256"] },
      { maxAgeSeconds: 0 },
      { futureToleranceSeconds: -1 },
      { now: () => Number.NaN },
      { uniqueNonce: true },
      { replay: {} as MemoryReplayStore },
    ];
    for (const options of bad) {
      expect(() => createDpopProofVerifier(options)).toThrowError(ApproovConfigError);
    }
  });

  it("rejects a bad request with ApproovConfigError", async () => {
    const verify = createDpopProofVerifier({ now });
    const proof = await signProof(keys[0] as ProofKey);
    for (const bad of [
      { method: "", url: REQUEST_URL },
      { method: "POST", url: "/token" },
      { ...request, accessToken: 1 as unknown as string },
      undefined as unknown as typeof request,
    ]) {
      await expect(verify(proof, bad)).rejects.toBeInstanceOf(ApproovConfigError);
    }
  });

  it("uses the request's nonce check over the verifier's", async () => {
    const verify = createDpopProofVerifier({ now, nonce: (n) => n === "server" });
    const key = keys[0] as ProofKey;
    const proof = async (nonce: string) => signProof(key, proofClaims({ nonce }));
    await expect(verify(await proof("server"), request)).resolves.toBeTruthy();
    expect(await refusal(verify, await proof("route"))).toBe("bad-nonce");
    const routeCheck = { ...request, nonce: (n: string | undefined) => n === "route" };
    await expect(verify(await proof("route"), routeCheck)).resolves.toBeTruthy();
    await expect(verify(await proof("server"), routeCheck)).rejects.toMatchObject({
      code: "bad-nonce",
    });
  });
});

describe("dpopProof() middleware key cache", () => {
  const URL_ = "http://api.example.com/v2/dpop/shapes";

  async function routeFor(key: ProofKey, keyCacheSize?: number) {
    const token = await signToken({
      exp: nowSeconds() + 300,
      cnf: { jkt: await calculateJwkThumbprint(key.jwk, "sha256") },
    });
    const app = new Hono();
    const dpop = dpopProof({
      now,
      replay: new MemoryReplayStore({ now }),
      ...(keyCacheSize === undefined ? {} : { keyCacheSize }),
    });
    const verify = createApproovTokenVerifier({ secret: SECRET });
    app.get("/v2/dpop/shapes", approovToken({ verify }), dpop, (c) =>
      c.json({ jkt: c.var.dpopProof.jkt }),
    );
    const send = async (signer: ProofKey = key) => {
      const claims = proofClaims({
        htm: "GET",
        htu: URL_,
        iat: NOW_S,
        ath: accessTokenHash(token),
        nonce: randomBytes(16).toString("base64url"),
      });
      const proof = await signProof({ ...signer, jwk: key.jwk }, claims);
      const response = await app.request(URL_, {
        headers: { "Approov-Token": token, DPoP: proof },
      });
      return { status: response.status, challenge: response.headers.get("WWW-Authenticate") };
    };
    return send;
  }

  it("imports a session key once per route, and still refuses a forged proof", async () => {
    const [key, attacker] = keys as [ProofKey, ProofKey];
    const send = await routeFor(key);
    for (let i = 0; i < 3; i++) expect((await send()).status).toBe(200);
    expect(importCount()).toBe(1);
    const forged = await send(attacker);
    expect(forged.status).toBe(401);
    expect(forged.challenge).toContain('error_description="bad-signature"');
    expect(importCount()).toBe(1);
  });

  it("imports every time with keyCacheSize 0, and refuses a bad keyCacheSize at setup", async () => {
    const send = await routeFor(keys[0] as ProofKey, 0);
    for (let i = 0; i < 3; i++) expect((await send()).status).toBe(200);
    expect(importCount()).toBe(3);
    expect(() => dpopProof({ keyCacheSize: -1 })).toThrowError(ApproovConfigError);
  });
});
