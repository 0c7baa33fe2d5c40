import { generateKeyPair, SignJWT } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  ApproovConfigError,
  ApproovTokenError,
  type ApproovTokenErrorCode,
  createApproovTokenVerifier,
} from "../src/index.js";
import { handSigned, nowSeconds, OTHER_SECRET, SECRET, signToken, unsecured } from "./tokens.js";

const verify = createApproovTokenVerifier({ secret: SECRET });

/** The code the verifier refuses `token` with; also checks the error never carries the token. */
async function refusal(token: string, verifier = verify): Promise<ApproovTokenErrorCode> {
  try {
    await verifier(token);
  } catch (error) {
    expect(error).toBeInstanceOf(ApproovTokenError);
    const tokenError = error as ApproovTokenError;
    if (token.length > 8) {
      expect(tokenError.message).not.toContain(token);
      expect(JSON.stringify(tokenError)).not.toContain(token);
      expect(tokenError.cause).toBeUndefined();
    }
    return tokenError.code;
  }
  throw new Error("the token was accepted");
}

function swapPart(token: string, index: number, part: string): string {
  const parts = token.split(".");
  parts[index] = part;
  return parts.join(".");
}

describe("createApproovTokenVerifier: valid tokens", () => {
  it("returns the claims of a valid token", async () => {
    const exp = nowSeconds() + 300;
    const claims = {
      exp,
      iat: nowSeconds(),
      ip: "127.0.0.1",
      arc: "ABC",
      embed: { "hcap:10000000-ffff-ffff-ffff-000000000001": { hostname: "localhost" } },
      pay: "f3U2fniBJVE04Tdecj0d6orV9qT9t52TjfHxdUqDBgY=",
      cnf: { jkt: "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I" },
    };
    expect(await verify(await signToken(claims))).toEqual(claims);
  });

  it("accepts exp and nbf / iat within the clock tolerance", async () => {
    const now = nowSeconds();
    await expect(verify(await signToken({ exp: now }))).resolves.toMatchObject({ exp: now });
    await expect(
      verify(await signToken({ exp: now + 60, nbf: now + 1, iat: now + 1 })),
    ).resolves.toMatchObject({ nbf: now + 1, iat: now + 1 });
    const strict = createApproovTokenVerifier({ secret: SECRET, clockToleranceSeconds: 0 });
    expect(await refusal(await signToken({ exp: now - 1 }), strict)).toBe("expired");
  });

  it("imports the key once, not per call", async () => {
    // Signed first: jose's signing imports its own key.
    const tokens = [await signToken(), await signToken(), await signToken()];
    const spy = vi.spyOn(globalThis.crypto.subtle, "importKey");
    try {
      const once = createApproovTokenVerifier({ secret: SECRET });
      for (const token of tokens) await once(token);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  it("is not affected by later changes to the caller's secret buffer", async () => {
    const secret = new Uint8Array(SECRET);
    const verifier = createApproovTokenVerifier({ secret });
    secret.fill(0);
    await expect(verifier(await signToken())).resolves.toBeDefined();
  });
});

describe("createApproovTokenVerifier: refusals", () => {
  afterEach(() => vi.useRealTimers());

  it("missing: empty token", async () => {
    expect(await refusal("")).toBe("missing");
  });

  it("bad-signature: tampered payload, tampered signature, wrong secret", async () => {
    const token = await signToken({ exp: nowSeconds() + 300, ip: "10.0.0.1" });
    const forged = Buffer.from(JSON.stringify({ exp: nowSeconds() + 300, ip: "10.0.0.2" }));
    expect(await refusal(swapPart(token, 1, forged.toString("base64url")))).toBe("bad-signature");

    const signature = Buffer.from(token.split(".")[2] ?? "", "base64url");
    signature[0] = (signature[0] ?? 0) ^ 1;
    expect(await refusal(swapPart(token, 2, signature.toString("base64url")))).toBe(
      "bad-signature",
    );
    expect(await refusal(swapPart(token, 2, ""))).toBe("bad-signature");
    expect(await refusal(await signToken(undefined, OTHER_SECRET))).toBe("bad-signature");
  });

  it("bad-algorithm: alg none, whatever the signature", async () => {
    const claims = { exp: nowSeconds() + 300 };
    const none = unsecured(claims);
    expect(none.startsWith("eyJ")).toBe(true);
    expect(none.endsWith(".")).toBe(true);
    expect(await refusal(none)).toBe("bad-algorithm");
    expect(await refusal(handSigned({ alg: "none" }, claims))).toBe("bad-algorithm");
    expect(await refusal(handSigned({ alg: "None" }, claims))).toBe("bad-algorithm");
  });

  it("bad-algorithm: RS256 tokens and HS256 tokens whose header claims RS256", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const rs256 = await new SignJWT({ exp: nowSeconds() + 300 })
      .setProtectedHeader({ alg: "RS256" })
      .sign(privateKey);
    expect(await refusal(rs256)).toBe("bad-algorithm");
    // Signed with the HMAC secret, header lying about the algorithm (key confusion).
    expect(await refusal(handSigned({ alg: "RS256" }, { exp: nowSeconds() + 300 }))).toBe(
      "bad-algorithm",
    );
    // Another HMAC with the same secret is still not the pinned algorithm.
    const hs512 = await new SignJWT({ exp: nowSeconds() + 300 })
      .setProtectedHeader({ alg: "HS512" })
      .sign(SECRET);
    expect(await refusal(hs512)).toBe("bad-algorithm");
  });

  it("expired: exp in the past beyond the tolerance", async () => {
    expect(await refusal(await signToken({ exp: nowSeconds() - 10 }))).toBe("expired");
    expect(await refusal(await signToken({ exp: 0 }))).toBe("expired");
  });

  it("expired: a token that was valid stops being valid when time passes", async () => {
    const token = await signToken({ exp: nowSeconds() + 60 });
    await expect(verify(token)).resolves.toBeDefined();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 120_000);
    expect(await refusal(token)).toBe("expired");
  });

  it("not-yet-valid: nbf or iat in the future beyond the tolerance", async () => {
    const now = nowSeconds();
    expect(await refusal(await signToken({ exp: now + 300, nbf: now + 60 }))).toBe("not-yet-valid");
    expect(await refusal(await signToken({ exp: now + 300, iat: now + 60 }))).toBe("not-yet-valid");
  });

  it("missing-exp: no exp claim", async () => {
    expect(await refusal(await signToken({ iat: nowSeconds() }))).toBe("missing-exp");
    expect(await refusal(await signToken({}))).toBe("missing-exp");
  });

  it("bad-claims: wrong claim types", async () => {
    const exp = nowSeconds() + 300;
    for (const claims of [
      { exp: String(exp) },
      { exp: null },
      { exp, nbf: "soon" },
      { exp, iat: "now" },
      { exp, embed: "hcap" },
      { exp, embed: ["hcap:x"] },
      { exp, embed: { "hcap:x": "passed" } },
      { exp, pay: 42 },
      { exp, cnf: { jkt: 1 } },
      { exp, cnf: "thumbprint" },
      { exp, ip: ["127.0.0.1"] },
    ]) {
      expect(await refusal(await signToken(claims)), JSON.stringify(claims)).toBe("bad-claims");
    }
  });

  it("malformed: strings that are not a compact JWS", async () => {
    const signed = await signToken();
    const garbage = Array.from({ length: 10 * 1024 }, (_, i) =>
      String.fromCharCode(33 + ((i * 7919) % 90)),
    ).join("");
    for (const bad of [
      "a.b",
      "a.b.c",
      "...",
      "not-a-token",
      `${signed}.extra`,
      Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 37) % 256)).toString("latin1"),
      garbage,
      `${garbage}.${garbage}.${garbage}`.slice(0, 10 * 1024),
      // Valid signature over a payload that is not a JSON object.
      handSigned({ alg: "HS256" }, [1, 2] as unknown as Record<string, unknown>),
      // A header that is not JSON.
      `${Buffer.from("{alg:HS256").toString("base64url")}.${signed.split(".")[1]}.x`,
      // A critical header extension we do not understand.
      handSigned({ alg: "HS256", crit: ["x-custom"], "x-custom": 1 }, { exp: nowSeconds() + 9 }),
      // Unencoded payload (RFC 7797) is not a JWT.
      handSigned({ alg: "HS256", b64: false, crit: ["b64"] }, { exp: nowSeconds() + 9 }),
    ]) {
      expect(await refusal(bad), bad.slice(0, 40)).toBe("malformed");
    }
  });

  it("malformed: tokens over the length bound are refused before parsing", async () => {
    const big = await signToken({ exp: nowSeconds() + 300, arc: "x".repeat(20_000) });
    expect(await refusal(big)).toBe("malformed");
    const roomy = createApproovTokenVerifier({ secret: SECRET, maxTokenLength: 64 * 1024 });
    await expect(roomy(big)).resolves.toMatchObject({ arc: "x".repeat(20_000) });
  });

  it("throws only ApproovTokenError for random input", async () => {
    const alphabet =
      'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ {}"\u00e9\ud800';
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let n = 0; n < 300; n += 1) {
      const length = 1 + (next() % 200);
      let token = "";
      for (let i = 0; i < length; i += 1) token += alphabet[next() % alphabet.length];
      expect(["malformed", "bad-algorithm", "bad-signature"]).toContain(await refusal(token));
    }
  });
});

describe("createApproovTokenVerifier: configuration", () => {
  it("refuses short secrets and out-of-range options", () => {
    expect(() => createApproovTokenVerifier({ secret: new Uint8Array(16) })).toThrow(
      ApproovConfigError,
    );
    for (const clockToleranceSeconds of [-1, 6, Number.NaN]) {
      expect(() => createApproovTokenVerifier({ secret: SECRET, clockToleranceSeconds })).toThrow(
        /clockToleranceSeconds/,
      );
    }
    expect(() => createApproovTokenVerifier({ secret: SECRET, maxTokenLength: 0 })).toThrow(
      /maxTokenLength/,
    );
  });
});
