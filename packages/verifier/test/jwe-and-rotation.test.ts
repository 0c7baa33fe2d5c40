import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  ApproovConfigError,
  ApproovTokenError,
  createApproovTokenVerifier,
  decodeApproovEncryptionSecret,
} from "../src/index.js";
import {
  ENCRYPTION_SECRET,
  encryptToken,
  nowSeconds,
  OTHER_ENCRYPTION_SECRET,
  OTHER_SECRET,
  SECRET,
  signToken,
} from "./tokens.js";

const live = () => ({ exp: nowSeconds() + 300 });

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ApproovTokenError)) throw new Error("expected an ApproovTokenError");
  return error.code;
}

describe("JWE Approov tokens (A256GCMKW + A256GCM)", () => {
  it("decrypts the claims, embed included, next to HS256 tokens", async () => {
    const verify = createApproovTokenVerifier({
      secret: SECRET,
      encryptionSecret: ENCRYPTION_SECRET,
    });
    const claims = {
      ...live(),
      iat: nowSeconds(),
      embed: { "hcap:10000000-ffff-ffff-ffff-000000000001": { score: 0.9, hostname: "x" } },
    };
    expect(await verify(await encryptToken(claims))).toEqual(claims);
    expect(await verify(await signToken(claims))).toEqual(claims);
  });

  it("does not accept the HS256 secret as the encryption key, nor the reverse", async () => {
    const verify = createApproovTokenVerifier({
      secret: SECRET,
      encryptionSecret: ENCRYPTION_SECRET,
    });
    // The encryption secret is a separate key: a JWE made with the signing secret fails.
    expect(await codeOf(verify(await encryptToken(live(), SECRET)))).toBe("decryption-failed");
    expect(await codeOf(verify(await signToken(live(), ENCRYPTION_SECRET)))).toBe("bad-signature");
  });

  it("decodes APPROOV_ENCRYPTION_SECRET: exactly 32 bytes of standard base64", () => {
    const base64 = Buffer.from(ENCRYPTION_SECRET).toString("base64");
    expect(decodeApproovEncryptionSecret(`${base64}\n`)).toEqual(ENCRYPTION_SECRET);
    for (const [bad, code] of [
      ["", "secret-missing"],
      // Always holds a "-" (a random secret's base64url need not contain one).
      [`-${Buffer.from(ENCRYPTION_SECRET).toString("base64url").slice(1)}`, "secret-not-base64"],
      [randomBytes(16).toString("base64"), "secret-wrong-size"],
      [randomBytes(64).toString("base64"), "secret-wrong-size"],
    ] as const) {
      const error = (() => {
        try {
          decodeApproovEncryptionSecret(bad);
        } catch (caught) {
          return caught;
        }
      })();
      expect(error, bad).toBeInstanceOf(ApproovConfigError);
      expect((error as ApproovConfigError).code).toBe(code);
      if (bad.length > 0) expect((error as Error).message).not.toContain(bad);
    }
  });
});

describe("key rotation by kid", () => {
  const rotating = createApproovTokenVerifier({
    keys: [
      { secret: OTHER_SECRET }, // the old key, from before kids were used
      { kid: "k2", secret: SECRET },
    ],
    encryptionKeys: [
      { kid: "e1", secret: OTHER_ENCRYPTION_SECRET },
      { kid: "e2", secret: ENCRYPTION_SECRET },
    ],
  });

  it("picks the key named by the token's kid", async () => {
    await expect(rotating(await signToken(live(), SECRET, { kid: "k2" }))).resolves.toBeTruthy();
    await expect(
      rotating(await encryptToken(live(), ENCRYPTION_SECRET, { kid: "e2" })),
    ).resolves.toBeTruthy();
    await expect(
      rotating(await encryptToken(live(), OTHER_ENCRYPTION_SECRET, { kid: "e1" })),
    ).resolves.toBeTruthy();
  });

  it("uses the key without kid for a token without kid", async () => {
    await expect(rotating(await signToken(live(), OTHER_SECRET))).resolves.toBeTruthy();
    expect(await codeOf(rotating(await signToken(live(), SECRET)))).toBe("bad-signature");
  });

  it("uses the first key when none lacks a kid", async () => {
    // e1 is first in encryptionKeys.
    await expect(
      rotating(await encryptToken(live(), OTHER_ENCRYPTION_SECRET)),
    ).resolves.toBeTruthy();
    expect(await codeOf(rotating(await encryptToken(live(), ENCRYPTION_SECRET)))).toBe(
      "decryption-failed",
    );
  });

  it("never tries another key: a kid naming the wrong key fails", async () => {
    expect(await codeOf(rotating(await signToken(live(), OTHER_SECRET, { kid: "k2" })))).toBe(
      "bad-signature",
    );
    expect(await codeOf(rotating(await signToken(live(), SECRET, { kid: "k9" })))).toBe(
      "unknown-key",
    );
    expect(
      await codeOf(rotating(await encryptToken(live(), ENCRYPTION_SECRET, { kid: "k2" }))),
    ).toBe("unknown-key");
  });

  it("ignores a token kid when no configured key has one (the secret shorthand)", async () => {
    const single = createApproovTokenVerifier({ secret: SECRET });
    await expect(
      single(await signToken(live(), SECRET, { kid: "anything" })),
    ).resolves.toBeTruthy();
  });
});

describe("configuration errors", () => {
  const cases: [string, Parameters<typeof createApproovTokenVerifier>[0]][] = [
    ["no key at all", {}],
    ["secret and keys", { secret: SECRET, keys: [{ secret: SECRET }] }],
    ["empty keys", { keys: [] }],
    [
      "duplicate kid",
      {
        keys: [
          { kid: "a", secret: SECRET },
          { kid: "a", secret: OTHER_SECRET },
        ],
      },
    ],
    ["two keys without kid", { keys: [{ secret: SECRET }, { secret: OTHER_SECRET }] }],
    ["empty kid", { keys: [{ kid: "", secret: SECRET }] }],
    ["short signing secret", { keys: [{ secret: new Uint8Array(16) }] }],
    ["31-byte encryption secret", { encryptionSecret: new Uint8Array(31) }],
    ["64-byte encryption secret", { encryptionKeys: [{ secret: new Uint8Array(64) }] }],
    ["cache of 0 entries", { secret: SECRET, cache: { maxEntries: 0 } }],
  ];
  it.each(cases)("%s -> ApproovConfigError", (_name, options) => {
    expect(() => createApproovTokenVerifier(options)).toThrow(ApproovConfigError);
  });
});
