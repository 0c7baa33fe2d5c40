import { randomBytes } from "node:crypto";
import { CompactSign, calculateJwkThumbprint } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ApproovConfigError,
  accessTokenHash,
  DpopProofError,
  type DpopProofErrorCode,
  jwkThumbprint,
  MemoryReplayStore,
  type VerifyDpopProofOptions,
  verifyDpopProof,
} from "../src/index.js";
import {
  b64url,
  handBuilt,
  makeKey,
  NOW_MS,
  NOW_S,
  now,
  type ProofKey,
  proofClaims,
  REQUEST_URL,
  signProof,
  signRawEs256,
  swapPart,
} from "./dpop-proofs.js";

const base: VerifyDpopProofOptions = { method: "POST", url: REQUEST_URL, now };

let key: ProofKey;
let otherKey: ProofKey;

beforeAll(async () => {
  key = await makeKey();
  otherKey = await makeKey();
});

/** The code a proof is refused with; also checks the error never carries the proof. */
async function refusal(
  proof: string | undefined,
  options: Partial<VerifyDpopProofOptions> = {},
): Promise<DpopProofErrorCode> {
  try {
    await verifyDpopProof(proof, { ...base, ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(DpopProofError);
    const proofError = error as DpopProofError;
    if (proof && proof.length > 8) {
      const header = proof.split(".")[0] ?? "";
      for (const text of [proofError.message, JSON.stringify(proofError), String(proofError)]) {
        expect(text).not.toContain(proof);
        if (header.length > 8) expect(text).not.toContain(header);
      }
    }
    expect(proofError.cause).toBeUndefined();
    return proofError.code;
  }
  throw new Error("the proof was accepted");
}

describe("verifyDpopProof: valid proofs", () => {
  it("returns the key, its thumbprint and the claims", async () => {
    const claims = proofClaims({ nonce: "n-1", ath: "x", msgs: "m" });
    const result = await verifyDpopProof(await signProof(key, claims), base);
    expect(result.claims).toEqual(claims);
    expect(result.jwk).toEqual({ kty: "EC", crv: "P-256", x: key.jwk.x, y: key.jwk.y });
    expect(result.jkt).toBe(await calculateJwkThumbprint(key.jwk, "sha256"));
    expect(result.jkt).toBe(await jwkThumbprint(key.jwk));
  });

  it("accepts a proof whose htu equals the request URL after normalisation", async () => {
    const proof = await signProof(key, proofClaims({ htu: "HTTP://Example.COM:80/a" }));
    const result = await verifyDpopProof(proof, { ...base, url: "http://example.com/a" });
    expect(result.claims.htu).toBe("HTTP://Example.COM:80/a");
    const root = await signProof(key, proofClaims({ htu: "https://EXAMPLE.com:443" }));
    await expect(
      verifyDpopProof(root, { ...base, url: "https://example.com/" }),
    ).resolves.toBeTruthy();
  });

  it("ignores the query and fragment of the request URL", async () => {
    const proof = await signProof(key);
    await expect(
      verifyDpopProof(proof, { ...base, url: `${REQUEST_URL}?api=shapes#top` }),
    ).resolves.toBeTruthy();
  });

  it("accepts a typ written as the full media type, any case", async () => {
    const proof = await signProof(key, proofClaims(), { typ: "application/DPoP+JWT" });
    await expect(verifyDpopProof(proof, base)).resolves.toBeTruthy();
  });

  it("accepts iat at the edges of the window", async () => {
    const old = await signProof(key, proofClaims({ iat: NOW_S - 300 }));
    await expect(verifyDpopProof(old, base)).resolves.toBeTruthy();
    const early = await signProof(key, proofClaims({ iat: NOW_S + 5 }));
    await expect(verifyDpopProof(early, base)).resolves.toBeTruthy();
  });

  it("accepts other algs only when allowed", async () => {
    const rsa = await makeKey("RS256");
    const proof = await signProof(rsa);
    expect(await refusal(proof)).toBe("bad-alg");
    const result = await verifyDpopProof(proof, { ...base, algorithms: ["ES256", "RS256"] });
    expect(result.jwk).toEqual({ kty: "RSA", n: rsa.jwk.n, e: rsa.jwk.e });
    const ed = await makeKey("EdDSA");
    await expect(
      verifyDpopProof(await signProof(ed), { ...base, algorithms: ["EdDSA"] }),
    ).resolves.toBeTruthy();
  });
});

describe("verifyDpopProof: structure", () => {
  it("refuses a missing proof", async () => {
    expect(await refusal(undefined)).toBe("missing");
    expect(await refusal("")).toBe("missing");
  });

  it("refuses 10 KB of garbage, and anything not one compact JWS, as malformed", async () => {
    expect(await refusal(randomBytes(10 * 1024).toString("base64url"))).toBe("malformed");
    const valid = await signProof(key);
    expect(await refusal(`${valid}.${valid}`)).toBe("malformed");
    expect(await refusal(`${valid} `)).toBe("malformed");
    expect(await refusal(`${valid}x`.padEnd(9 * 1024, "A"))).toBe("malformed");
    expect(await refusal("a.b.c.d.e")).toBe("malformed");
    expect(await refusal(swapPart(valid, 0, b64url("not json")))).toBe("malformed");
    expect(await refusal(swapPart(valid, 0, b64url("[1]")))).toBe("malformed");
    expect(await refusal(123 as unknown as string)).toBe("malformed");
  });

  it("refuses any crit header, so b64: false cannot sneak in", async () => {
    const header = { typ: "dpop+jwt", alg: "ES256", jwk: key.jwk };
    const claims = JSON.stringify(proofClaims());
    // Control: the raw signer makes proofs the verifier accepts.
    await expect(
      verifyDpopProof(await signRawEs256(key, header, claims), base),
    ).resolves.toBeTruthy();
    for (const extra of [{ crit: ["b64"], b64: false }, { crit: ["exp"] }, { b64: true }]) {
      expect(await refusal(await signRawEs256(key, { ...header, ...extra }, claims))).toBe(
        "malformed",
      );
    }
  });

  it("refuses a signed payload that is not a JSON object", async () => {
    const header = { typ: "dpop+jwt", alg: "ES256", jwk: key.jwk };
    for (const payload of ["not json", "[]", '"text"', "null"]) {
      const proof = await new CompactSign(new TextEncoder().encode(payload))
        .setProtectedHeader(header)
        .sign(key.privateKey);
      expect(await refusal(proof)).toBe("malformed");
    }
    // Valid JSON if decoded leniently (0xff -> U+FFFD), so only a strict decoder refuses it.
    const [before, after] = JSON.stringify(proofClaims({ jti: "@" })).split("@");
    const bytes = Buffer.concat([
      Buffer.from(before ?? ""),
      Buffer.of(0xff),
      Buffer.from(after ?? ""),
    ]);
    const notUtf8 = await signRawEs256(key, header, bytes);
    expect(await refusal(notUtf8)).toBe("malformed");
  });
});

describe("verifyDpopProof: header", () => {
  it("refuses a wrong or missing typ", async () => {
    expect(await refusal(await signProof(key, proofClaims(), { typ: "JWT" }))).toBe("bad-typ");
    expect(await refusal(await signProof(key, proofClaims(), { typ: undefined }))).toBe("bad-typ");
    expect(await refusal(await signProof(key, proofClaims(), { typ: "at+jwt" }))).toBe("bad-typ");
  });

  it("refuses alg none (hand-built)", async () => {
    const proof = handBuilt({ typ: "dpop+jwt", alg: "none", jwk: key.jwk }, proofClaims());
    expect(await refusal(proof)).toBe("bad-alg");
  });

  it("refuses an HS256 proof, even with a matching oct jwk", async () => {
    const secret = new Uint8Array(randomBytes(32));
    const jwk = { kty: "oct", k: b64url(secret) };
    const proof = handBuilt({ typ: "dpop+jwt", alg: "HS256", jwk }, proofClaims(), secret);
    expect(await refusal(proof)).toBe("bad-alg");
    expect(await refusal(proof, { algorithms: ["ES256", "RS256"] })).toBe("bad-alg");
  });

  it("refuses RS256 and ES384 when only ES256 is allowed", async () => {
    expect(await refusal(await signProof(await makeKey("RS256")))).toBe("bad-alg");
    expect(await refusal(await signProof(await makeKey("ES384")))).toBe("bad-alg");
  });

  it("refuses a missing jwk", async () => {
    expect(await refusal(await signProof(key, proofClaims(), { jwk: undefined }))).toBe("bad-jwk");
  });

  it("refuses a jwk with private members", async () => {
    const proof = await signProof(key, proofClaims(), { jwk: key.privateJwk });
    expect(key.privateJwk.d).toBeTypeOf("string");
    expect(await refusal(proof)).toBe("private-key");
  });

  it("refuses a jwk that does not fit ES256", async () => {
    const p384 = await makeKey("ES384");
    const bad: Record<string, unknown>[] = [
      p384.jwk as Record<string, unknown>,
      { ...key.jwk, crv: "P-384" },
      { ...key.jwk, kty: "RSA" },
      { kty: "EC", crv: "P-256", x: key.jwk.x },
      { ...key.jwk, x: `${key.jwk.x}A` },
      { ...key.jwk, use: "enc" },
      // 32 bytes, but not a point on the curve.
      { ...key.jwk, x: b64url(Buffer.alloc(32, 1)), y: b64url(Buffer.alloc(32, 2)) },
    ];
    for (const jwk of bad) {
      expect(await refusal(await signProof(key, proofClaims(), { jwk }))).toBe("bad-jwk");
    }
    expect(await refusal(await signProof(key, proofClaims(), { jwk: "x" }))).toBe("bad-jwk");
  });

  it("refuses a non-canonical base64url coordinate", async () => {
    // Same bytes, last character with unused low bits set: a second thumbprint for one key.
    const x = key.jwk.x as string;
    const last = x.at(-1) as string;
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const twin = x.slice(0, -1) + alphabet[alphabet.indexOf(last) ^ 1];
    expect(Buffer.from(twin, "base64url")).toEqual(Buffer.from(x, "base64url"));
    const proof = await signProof(key, proofClaims(), { jwk: { ...key.jwk, x: twin } });
    expect(await refusal(proof)).toBe("bad-jwk");
  });

  it("refuses a short RSA key even when RS256 is allowed", async () => {
    const rsa = await makeKey("RS256");
    const jwk = {
      ...rsa.jwk,
      n: b64url(Buffer.from(rsa.jwk.n as string, "base64url").subarray(128)),
    };
    const proof = await signProof(rsa, proofClaims(), { jwk });
    expect(await refusal(proof, { algorithms: ["RS256"] })).toBe("bad-jwk");
  });
});

describe("verifyDpopProof: signature", () => {
  it("refuses a jwk of another key than the signer", async () => {
    const proof = await signProof(key, proofClaims(), { jwk: otherKey.jwk });
    expect(await refusal(proof)).toBe("bad-signature");
  });

  it("refuses a tampered payload", async () => {
    const proof = await signProof(key);
    const tampered = swapPart(proof, 1, b64url(JSON.stringify(proofClaims({ htm: "POST" }))));
    expect(await refusal(tampered)).toBe("bad-signature");
  });

  it("refuses a tampered header, signature, or an empty signature", async () => {
    const proof = await signProof(key);
    const header = b64url(
      JSON.stringify({ typ: "dpop+jwt", alg: "ES256", jwk: key.jwk, kid: "x" }),
    );
    expect(await refusal(swapPart(proof, 0, header))).toBe("bad-signature");
    const signature = Buffer.from(proof.split(".")[2] as string, "base64url");
    signature[10] = (signature[10] ?? 0) ^ 1;
    expect(await refusal(swapPart(proof, 2, b64url(signature)))).toBe("bad-signature");
    expect(await refusal(swapPart(proof, 2, ""))).toBe("bad-signature");
  });

  it("never answers anything but a DpopProofError for mutated proofs", async () => {
    const proof = await signProof(key);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
    for (let i = 0; i < 300; i++) {
      const chars = [...proof];
      const at = (i * 7919) % chars.length;
      chars[at] = alphabet[(i * 31) % alphabet.length] as string;
      const mutated = chars.join("");
      if (mutated === proof) continue;
      await expect(verifyDpopProof(mutated, base)).rejects.toBeInstanceOf(DpopProofError);
    }
  });
});

describe("verifyDpopProof: claims", () => {
  it.each(["jti", "htm", "htu", "iat"])("refuses a proof without %s", async (name) => {
    const claims = proofClaims();
    delete claims[name];
    expect(await refusal(await signProof(key, claims))).toBe("missing-claim");
  });

  it("refuses claims of the wrong type", async () => {
    const wrong = [
      { jti: 1 },
      { jti: "" },
      { htm: ["POST"] },
      { htu: 42 },
      { iat: String(NOW_S) },
      { ath: 1 },
      { msgs: {} },
    ];
    for (const overrides of wrong) {
      expect(await refusal(await signProof(key, proofClaims(overrides)))).toBe("missing-claim");
    }
  });

  it("refuses a wrong htm", async () => {
    expect(await refusal(await signProof(key, proofClaims({ htm: "GET" })))).toBe("htm-mismatch");
    expect(await refusal(await signProof(key, proofClaims({ htm: "post" })))).toBe("htm-mismatch");
  });

  it("refuses an htu of another host, path or scheme", async () => {
    const others = [
      "https://evil.example.com/token",
      "https://attest.example.com/refresh",
      "http://attest.example.com/token",
      "https://attest.example.com:8443/token",
      "https://attest.example.com/token/",
      "https://user@attest.example.com/token",
      "attest.example.com/token",
      "ftp://attest.example.com/token",
    ];
    for (const htu of others) {
      expect(await refusal(await signProof(key, proofClaims({ htu })))).toBe("htu-mismatch");
    }
  });

  it("refuses an htu that carries a query or a fragment", async () => {
    for (const htu of [`${REQUEST_URL}?a=1`, `${REQUEST_URL}?`, `${REQUEST_URL}#f`]) {
      const proof = await signProof(key, proofClaims({ htu }));
      expect(await refusal(proof, { url: `${REQUEST_URL}?a=1#f` })).toBe("htu-mismatch");
    }
  });

  it("refuses a stale or future iat", async () => {
    const stale = await signProof(key, proofClaims({ iat: NOW_S - 301 }));
    expect(await refusal(stale)).toBe("iat-stale");
    expect(await refusal(await signProof(key, proofClaims({ iat: 0 })))).toBe("iat-stale");
    const future = await signProof(key, proofClaims({ iat: NOW_S + 6 }));
    expect(await refusal(future)).toBe("iat-future");
    const tight = await signProof(key, proofClaims({ iat: NOW_S - 61 }));
    expect(await refusal(tight, { maxAgeSeconds: 60 })).toBe("iat-stale");
    const early = await signProof(key, proofClaims({ iat: NOW_S + 1 }));
    expect(await refusal(early, { futureToleranceSeconds: 0 })).toBe("iat-future");
  });
});

describe("verifyDpopProof: replay", () => {
  it("refuses the same proof twice", async () => {
    const replay = new MemoryReplayStore({ now });
    const proof = await signProof(key);
    await expect(verifyDpopProof(proof, { ...base, replay })).resolves.toBeTruthy();
    expect(await refusal(proof, { replay })).toBe("replayed");
    // Another jti is a new proof.
    await expect(verifyDpopProof(await signProof(key), { ...base, replay })).resolves.toBeTruthy();
  });

  it("remembers a proof for as long as its iat keeps it acceptable", async () => {
    let clock = NOW_MS;
    const replay = new MemoryReplayStore({ now: () => clock });
    const proof = await signProof(key);
    await verifyDpopProof(proof, { ...base, replay, now: () => clock });
    clock = NOW_MS + 300_000;
    expect(await refusal(proof, { replay, now: () => clock })).toBe("replayed");
    clock = NOW_MS + 301_000;
    expect(await refusal(proof, { replay, now: () => clock })).toBe("iat-stale");
  });

  it("does not spend a jti on a proof that fails another check", async () => {
    const replay = new MemoryReplayStore({ now });
    const proof = await signProof(key, proofClaims({ nonce: "old" }));
    expect(await refusal(proof, { replay, nonce: () => false })).toBe("bad-nonce");
    await expect(verifyDpopProof(proof, { ...base, replay })).resolves.toBeTruthy();
  });

  it("fails closed when the replay store is full", async () => {
    const replay = new MemoryReplayStore({ now, maxEntries: 2 });
    await verifyDpopProof(await signProof(key), { ...base, replay });
    await verifyDpopProof(await signProof(key), { ...base, replay });
    expect(await refusal(await signProof(key), { replay })).toBe("replayed");
    expect(replay.size).toBe(2);
  });

  it("keys the store by a fixed-length hash of htu and jti", async () => {
    const keys: [string, number][] = [];
    const replay = {
      checkAndRemember: async (k: string, expiresAtMs: number) => {
        keys.push([k, expiresAtMs]);
        return true;
      },
    };
    const jti = "j".repeat(4000);
    await verifyDpopProof(await signProof(key, proofClaims({ jti })), { ...base, replay });
    expect(keys).toHaveLength(1);
    expect(keys[0]?.[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(keys[0]?.[1]).toBe(NOW_MS + 300_000);
    const other = proofClaims({ jti, htu: "https://attest.example.com/refresh" });
    await verifyDpopProof(await signProof(key, other), {
      ...base,
      url: "https://attest.example.com/refresh",
      replay,
    });
    expect(keys[1]?.[0]).not.toBe(keys[0]?.[0]);
  });
});

describe("verifyDpopProof: binding to a token, key, message and nonce", () => {
  const accessToken = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.sig";

  it("checks ath against the access token", async () => {
    const ath = accessTokenHash(accessToken);
    expect(ath).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const right = await signProof(key, proofClaims({ ath }));
    await expect(verifyDpopProof(right, { ...base, accessToken })).resolves.toBeTruthy();
    const wrong = await signProof(key, proofClaims({ ath: accessTokenHash(`${accessToken}x`) }));
    expect(await refusal(wrong, { accessToken })).toBe("ath-mismatch");
    expect(await refusal(await signProof(key), { accessToken })).toBe("missing-claim");
  });

  it("checks the key thumbprint against expectedJkt", async () => {
    const proof = await signProof(key);
    const expectedJkt = await jwkThumbprint(key.jwk);
    await expect(verifyDpopProof(proof, { ...base, expectedJkt })).resolves.toBeTruthy();
    const otherJkt = await jwkThumbprint(otherKey.jwk);
    expect(await refusal(await signProof(key), { expectedJkt: otherJkt })).toBe("jkt-mismatch");
  });

  it("checks msgs against messageHash when the proof has one", async () => {
    const messageHash = b64url(randomBytes(32));
    const right = await signProof(key, proofClaims({ msgs: messageHash }));
    await expect(verifyDpopProof(right, { ...base, messageHash })).resolves.toBeTruthy();
    const wrong = await signProof(key, proofClaims({ msgs: b64url(randomBytes(32)) }));
    expect(await refusal(wrong, { messageHash })).toBe("msgs-mismatch");
    const absent = await verifyDpopProof(await signProof(key), { ...base, messageHash });
    expect(absent.claims.msgs).toBeUndefined();
  });

  it("checks the nonce with the caller's function", async () => {
    const seen: (string | undefined)[] = [];
    const nonce = async (value: string | undefined) => {
      seen.push(value);
      return value === "issued";
    };
    expect(await refusal(await signProof(key), { nonce })).toBe("missing-nonce");
    const forged = await signProof(key, proofClaims({ nonce: "forged" }));
    expect(await refusal(forged, { nonce })).toBe("bad-nonce");
    const issued = await signProof(key, proofClaims({ nonce: "issued" }));
    expect((await verifyDpopProof(issued, { ...base, nonce })).claims.nonce).toBe("issued");
    expect(seen).toEqual(["forged", "issued"]);
    const objectNonce = await signProof(key, proofClaims({ nonce: { v: "issued" } }));
    expect(await refusal(objectNonce, { nonce })).toBe("bad-nonce");
    const truthy = (() => "yes") as unknown as () => boolean;
    expect(await refusal(issued, { nonce: truthy })).toBe("bad-nonce");
  });
});

describe("verifyDpopProof: options", () => {
  it("refuses an allow-list with none, a MAC or an unknown alg", async () => {
    const proof = await signProof(key);
    for (const algorithms of [["none"], ["HS256"], ["ES256", "HS512"], ["es256"], []]) {
      await expect(verifyDpopProof(proof, { ...base, algorithms })).rejects.toBeInstanceOf(
        ApproovConfigError,
      );
    }
  });

  it("refuses bad options with ApproovConfigError before looking at the proof", async () => {
    const proof = await signProof(key);
    const bad: Partial<VerifyDpopProofOptions>[] = [
      { url: "/token" },
      { url: "ftp://example.com/" },
      { method: "" },
      { maxAgeSeconds: 0 },
      { maxAgeSeconds: Number.NaN },
      { futureToleranceSeconds: -1 },
      { now: () => Number.NaN },
    ];
    for (const options of bad) {
      await expect(verifyDpopProof(proof, { ...base, ...options })).rejects.toBeInstanceOf(
        ApproovConfigError,
      );
    }
  });
});
