import { randomBytes } from "node:crypto";
import { EncryptJWT, generateKeyPair, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import {
  APPROOV_TOKEN_ERROR_CODES,
  ApproovTokenError,
  type ApproovTokenErrorCode,
  type ApproovTokenVerifier,
  createApproovTokenVerifier,
} from "../src/index.js";
import {
  ENCRYPTION_SECRET,
  encryptToken,
  handSigned,
  nowSeconds,
  OTHER_ENCRYPTION_SECRET,
  OTHER_SECRET,
  SECRET,
  signToken,
  unsecured,
} from "./tokens.js";

/** Both forms accepted, cache on (the default): a refusal must never come from the cache. */
const both = createApproovTokenVerifier({ secret: SECRET, encryptionSecret: ENCRYPTION_SECRET });
const jwsOnly = createApproovTokenVerifier({ secret: SECRET });
const jweOnly = createApproovTokenVerifier({ encryptionSecret: ENCRYPTION_SECRET });
const rotated = createApproovTokenVerifier({
  keys: [
    { kid: "2024", secret: OTHER_SECRET },
    { kid: "2025", secret: SECRET },
  ],
});

const live = () => ({ exp: nowSeconds() + 300 });

function flipLastChar(token: string, partIndex: number): string {
  const parts = token.split(".");
  const part = parts[partIndex] ?? "";
  // Flip a middle character: the last one may only carry padding bits.
  const at = Math.floor(part.length / 2);
  parts[partIndex] = `${part.slice(0, at)}${part[at] === "A" ? "B" : "A"}${part.slice(at + 1)}`;
  return parts.join(".");
}

interface Case {
  name: string;
  code: ApproovTokenErrorCode;
  token: () => Promise<string> | string;
  verifier?: ApproovTokenVerifier;
}

const CASES: Case[] = [
  { name: "empty token", code: "missing", token: () => "" },
  { name: "not a JWT", code: "malformed", token: () => "not-a-token" },
  { name: "four parts", code: "malformed", token: async () => `${await signToken()}.x` },
  {
    name: "header not JSON",
    code: "malformed",
    token: () => `${Buffer.from("{alg").toString("base64url")}.e30.x`,
  },
  {
    name: "kid that is not a string",
    code: "malformed",
    token: () => handSigned({ alg: "HS256", kid: 7 }, live()),
  },
  {
    name: "tampered signature",
    code: "bad-signature",
    token: async () => flipLastChar(await signToken(), 2),
  },
  {
    name: "tampered payload",
    code: "bad-signature",
    token: async () => flipLastChar(await signToken({ ...live(), ip: "10.0.0.1" }), 1),
  },
  { name: "wrong key", code: "bad-signature", token: () => signToken(live(), OTHER_SECRET) },
  { name: "alg none", code: "bad-algorithm", token: () => unsecured(live()) },
  {
    name: "HS/RS confusion: HMAC with the secret under an RS256 header",
    code: "bad-algorithm",
    token: () => handSigned({ alg: "RS256", typ: "JWT" }, live()),
  },
  {
    name: "a real RS256 token",
    code: "bad-algorithm",
    token: async () => {
      const { privateKey } = await generateKeyPair("RS256");
      return new SignJWT(live()).setProtectedHeader({ alg: "RS256" }).sign(privateKey);
    },
  },
  {
    name: "HS512 with the right secret",
    code: "bad-algorithm",
    token: () => new SignJWT(live()).setProtectedHeader({ alg: "HS512" }).sign(SECRET),
  },
  { name: "expired", code: "expired", token: () => signToken({ exp: nowSeconds() - 10 }) },
  {
    name: "not yet valid (nbf)",
    code: "not-yet-valid",
    token: () => signToken({ exp: nowSeconds() + 300, nbf: nowSeconds() + 60 }),
  },
  {
    name: "issued in the future (iat)",
    code: "not-yet-valid",
    token: () => signToken({ exp: nowSeconds() + 300, iat: nowSeconds() + 60 }),
  },
  { name: "missing exp", code: "missing-exp", token: () => signToken({ iat: nowSeconds() }) },
  {
    name: "wrong claim type",
    code: "bad-claims",
    token: () => signToken({ ...live(), did: 42 }),
  },
  {
    name: "kid naming no configured key",
    code: "unknown-key",
    token: () => signToken(live(), SECRET, { kid: "2023" }),
    verifier: rotated,
  },
  {
    name: "JWS when only JWE is accepted",
    code: "jws-not-accepted",
    token: () => signToken(),
    verifier: jweOnly,
  },
  {
    name: "JWE when only JWS is accepted",
    code: "jwe-not-accepted",
    token: () => encryptToken(),
    verifier: jwsOnly,
  },
  {
    name: "JWE with the wrong key",
    code: "decryption-failed",
    token: () => encryptToken(live(), OTHER_ENCRYPTION_SECRET),
  },
  {
    name: "JWE with a tampered ciphertext",
    code: "decryption-failed",
    token: async () => flipLastChar(await encryptToken(), 3),
  },
  {
    name: "JWE with a tampered protected header (it is the GCM AAD)",
    code: "decryption-failed",
    token: async () => {
      const token = await encryptToken();
      const [header, ...rest] = token.split(".");
      const json = JSON.parse(Buffer.from(header ?? "", "base64url").toString());
      const changed = Buffer.from(JSON.stringify({ ...json, x: 1 })).toString("base64url");
      return [changed, ...rest].join(".");
    },
  },
  {
    name: "JWE with alg dir",
    code: "bad-algorithm",
    token: () =>
      new EncryptJWT(live())
        .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
        .encrypt(ENCRYPTION_SECRET),
  },
  {
    name: "JWE with alg A256KW",
    code: "bad-algorithm",
    token: () =>
      new EncryptJWT(live())
        .setProtectedHeader({ alg: "A256KW", enc: "A256GCM" })
        .encrypt(ENCRYPTION_SECRET),
  },
  {
    name: "JWE with enc A256CBC-HS512",
    code: "bad-algorithm",
    token: () => encryptToken(live(), ENCRYPTION_SECRET, { enc: "A256CBC-HS512" }),
  },
  {
    name: "JWE expired",
    code: "expired",
    token: () => encryptToken({ exp: nowSeconds() - 10 }),
  },
  {
    name: "JWE without exp",
    code: "missing-exp",
    token: () => encryptToken({ iat: nowSeconds() }),
  },
  {
    name: "JWE whose payload is a nested JWS, not claims",
    code: "malformed",
    token: async () => {
      const { CompactEncrypt } = await import("jose");
      return new CompactEncrypt(new TextEncoder().encode(await signToken()))
        .setProtectedHeader({ alg: "A256GCMKW", enc: "A256GCM", cty: "JWT" })
        .encrypt(ENCRYPTION_SECRET);
    },
  },
];

describe("every token failure has its code (table)", () => {
  it.each(CASES)("$name -> $code", async ({ code, token, verifier = both }) => {
    const text = await token();
    // Twice: the second answer must not come from a cache either.
    for (let round = 0; round < 2; round++) {
      const error = await verifier(text).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ApproovTokenError);
      expect((error as ApproovTokenError).code).toBe(code);
      if (text.length > 8) expect((error as ApproovTokenError).message).not.toContain(text);
    }
  });

  it("covers every ApproovTokenError code", () => {
    const covered = new Set(CASES.map((c) => c.code));
    expect([...covered].sort()).toEqual(Object.keys(APPROOV_TOKEN_ERROR_CODES).sort());
  });

  it("controls: the same verifiers accept good tokens of each form", async () => {
    await expect(both(await signToken())).resolves.toMatchObject({ exp: expect.any(Number) });
    await expect(both(await encryptToken({ ...live(), ip: "1.2.3.4" }))).resolves.toMatchObject({
      ip: "1.2.3.4",
    });
    await expect(rotated(await signToken(live(), SECRET, { kid: "2025" }))).resolves.toBeTruthy();
    await expect(jweOnly(await encryptToken())).resolves.toBeTruthy();
  });

  it("refuses random 5-part strings as malformed, never with a crash", async () => {
    for (let n = 0; n < 100; n++) {
      const parts = Array.from({ length: 5 }, () =>
        randomBytes(1 + (n % 40)).toString("base64url"),
      );
      const error = await both(parts.join(".")).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ApproovTokenError);
      expect(["malformed", "bad-algorithm"]).toContain((error as ApproovTokenError).code);
    }
  });
});
