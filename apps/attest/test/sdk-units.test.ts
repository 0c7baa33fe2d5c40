import { createHmac, hkdfSync, randomBytes } from "node:crypto";
import { ConfigError } from "@shapes/node-service";
import { EncryptJWT, jwtDecrypt } from "jose";
import { describe, expect, it } from "vitest";
import { DpopNonces } from "../src/sdk/dpop-nonce.js";
import { DEFAULT_SDK_SETTINGS, sdkSettingsFromEnv } from "../src/sdk/sdk-settings.js";
import { sessionTimes, tokenLifetimeSeconds } from "../src/sdk/session-expiry.js";
import { deriveKey } from "../src/tokens/derive-key.js";
import { RefreshTokenError, RefreshTokens } from "../src/tokens/refresh-token.js";

const SECRET = randomBytes(32).toString("base64");
const T0 = Date.UTC(2025, 0, 1, 12, 0, 0, 250);

describe("deriveKey", () => {
  it("is HKDF-SHA256(secret, salt '', info) with one label per purpose", () => {
    const expected = hkdfSync(
      "sha256",
      Buffer.from(SECRET, "base64"),
      Buffer.alloc(0),
      "approov dpop nonce v1",
      32,
    );
    expect(Buffer.from(deriveKey(SECRET, "dpopNonce"))).toEqual(Buffer.from(expected));
    expect(Buffer.from(deriveKey(SECRET, "refreshToken"))).not.toEqual(Buffer.from(expected));
    expect(deriveKey(SECRET, "refreshToken")).toHaveLength(32);
  });
});

describe("DpopNonces", () => {
  it("has the documented format and checks it statelessly across instances", () => {
    let now = T0;
    const key = deriveKey(SECRET, "dpopNonce");
    const nonce = new DpopNonces(key, 300, () => now).issue();
    const [body = "", mac = ""] = nonce.split(".");
    const bytes = Buffer.from(body, "base64url");
    expect(bytes).toHaveLength(24);
    expect(Number(bytes.readBigUInt64BE(0))).toBe(T0);
    const expectedMac = createHmac("sha256", key).update(body).digest().subarray(0, 16);
    expect(mac).toBe(expectedMac.toString("base64url"));

    // Another instance with the same account agrees; one with another secret does not.
    const peer = new DpopNonces(deriveKey(SECRET, "dpopNonce"), 300, () => now);
    expect(peer.check(nonce)).toBeUndefined();
    const stranger = new DpopNonces(
      deriveKey(randomBytes(32).toString("base64"), "dpopNonce"),
      300,
      () => now,
    );
    expect(stranger.check(nonce)).toBe("not issued");

    now = T0 + 300_000;
    expect(peer.check(nonce)).toBeUndefined();
    now = T0 + 300_001;
    expect(peer.check(nonce)).toBe("expired");
    now = T0 - 300_001;
    expect(peer.check(nonce)).toBe("expired");
  });

  it("refuses anything it did not issue", () => {
    const nonces = new DpopNonces(deriveKey(SECRET, "dpopNonce"), 300, () => T0);
    const nonce = nonces.issue();
    const [body = "", mac = ""] = nonce.split(".");
    const otherBody = Buffer.from(body, "base64url");
    otherBody[0] = (otherBody[0] ?? 0) ^ 1;
    expect(nonces.check(undefined)).toBe("missing");
    expect(nonces.check(42)).toBe("not issued");
    expect(nonces.check("")).toBe("not issued");
    expect(nonces.check(`${otherBody.toString("base64url")}.${mac}`)).toBe("not issued");
    expect(nonces.check(`${nonce}x`)).toBe("not issued");
    // Same MAC bytes, non-canonical last character: one of its 4 unused low bits set.
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const twin = alphabet[alphabet.indexOf(mac.at(-1) ?? "A") ^ 1];
    expect(Buffer.from(`${mac.slice(0, -1)}${twin}`, "base64url")).toEqual(
      Buffer.from(mac, "base64url"),
    );
    expect(nonces.check(`${body}.${mac.slice(0, -1)}${twin}`)).toBe("not issued");
    expect(nonces.issue()).not.toBe(nonce);
  });
});

describe("sessionTimes and token lifetimes", () => {
  it("ends the session at the smaller of the refresh lifetime and each result's lifetime", () => {
    expect(sessionTimes(1000, 7200, [{ embedKey: "hcap:a", maxResultLifetimeSeconds: 0 }])).toEqual(
      {
        endSeconds: 8200,
        expiries: { session: 8_200_000, "hcap:a": 8_200_000 },
      },
    );
    expect(
      sessionTimes(1000, 7200, [
        { embedKey: "hcap:a", maxResultLifetimeSeconds: 600 },
        { embedKey: "fp:b", maxResultLifetimeSeconds: 9000 },
      ]),
    ).toEqual({
      endSeconds: 1600,
      expiries: { session: 1_600_000, "hcap:a": 1_600_000, "fp:b": 10_000_000 },
    });
  });

  it("keeps tokens within the session", () => {
    expect(tokenLifetimeSeconds(1000, 120, 8200)).toBe(120);
    expect(tokenLifetimeSeconds(1000, 120, 1030)).toBe(30);
    expect(tokenLifetimeSeconds(1000, 120, 1000)).toBe(1);
  });
});

describe("RefreshTokens", () => {
  const claims = {
    jkt: "thumb",
    iat: 1_735_732_800,
    exp: 1_735_732_800 + 60,
    sid: "sid",
    passed: true,
    embed: { "hcap:x": { hostname: "h" } },
    ip: "127.0.0.1",
    expiries: { session: (1_735_732_800 + 60) * 1000 },
  };

  /** The problem `open` throws with, or "opened". */
  function problemOf(open: () => unknown): string {
    try {
      open();
    } catch (error) {
      expect(error).toBeInstanceOf(RefreshTokenError);
      return (error as RefreshTokenError).problem;
    }
    return "opened";
  }

  it("round-trips, and refuses expiry, other keys and other thumbprints", () => {
    let now = claims.iat * 1000;
    const tokens = new RefreshTokens(deriveKey(SECRET, "refreshToken"), () => now);
    const sealed = tokens.seal(claims);
    expect(tokens.open(sealed, "thumb")).toEqual(claims);
    expect(() => tokens.open(sealed, "other")).toThrow(
      new RefreshTokenError("bound to another key"),
    );
    // The nonce key is not the refresh token key.
    const wrongKey = new RefreshTokens(deriveKey(SECRET, "dpopNonce"), () => now);
    expect(problemOf(() => wrongKey.open(sealed, "thumb"))).toBe("invalid");
    expect(problemOf(() => tokens.open("x".repeat(5000), "thumb"))).toBe("invalid");
    // One flipped ciphertext character fails the GCM tag.
    const parts = sealed.split(".");
    const body = parts[3] as string;
    parts[3] = (body[0] === "A" ? "B" : "A") + body.slice(1);
    expect(problemOf(() => tokens.open(parts.join("."), "thumb"))).toBe("invalid");
    now = claims.exp * 1000;
    expect(problemOf(() => tokens.open(sealed, "thumb"))).toBe("expired");
  });

  it("is the JWE jose makes and reads: tokens survive a rolling upgrade either way", async () => {
    const key = deriveKey(SECRET, "refreshToken");
    const tokens = new RefreshTokens(key, () => claims.iat * 1000);
    const { payload } = await jwtDecrypt(tokens.seal(claims), key, {
      keyManagementAlgorithms: ["dir"],
      contentEncryptionAlgorithms: ["A256GCM"],
      currentDate: new Date(claims.iat * 1000),
    });
    expect(payload).toEqual(claims);
    const { iat, exp, ...rest } = claims;
    const byJose = await new EncryptJWT({ ...rest })
      .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .encrypt(key);
    expect(tokens.open(byJose, "thumb")).toEqual(claims);
  });
});

describe("SDK settings from env", () => {
  it("reads the documented variables with their defaults", () => {
    expect(sdkSettingsFromEnv({})).toEqual(DEFAULT_SDK_SETTINGS);
    expect(DEFAULT_SDK_SETTINGS).toEqual({
      dpopNonceLifetimeSeconds: 300,
      dpopMaxAgeSeconds: 300,
      replayCacheMax: 100_000,
    });
    expect(
      sdkSettingsFromEnv({
        DPOP_NONCE_LIFETIME_SECONDS: "60",
        DPOP_MAX_AGE_SECONDS: "120",
        REPLAY_CACHE_MAX: "10",
        ATTEST_PUBLIC_ORIGIN: "https://attest.example.com/",
      }),
    ).toEqual({
      dpopNonceLifetimeSeconds: 60,
      dpopMaxAgeSeconds: 120,
      replayCacheMax: 10,
      publicOrigin: "https://attest.example.com",
    });
  });

  it("refuses bad values, naming the variable", () => {
    expect(() => sdkSettingsFromEnv({ DPOP_MAX_AGE_SECONDS: "0" })).toThrow(ConfigError);
    expect(() => sdkSettingsFromEnv({ DPOP_NONCE_LIFETIME_SECONDS: "86401" })).toThrow(
      /DPOP_NONCE_LIFETIME_SECONDS/,
    );
    expect(() => sdkSettingsFromEnv({ ATTEST_PUBLIC_ORIGIN: "https://a.example/path" })).toThrow(
      /ATTEST_PUBLIC_ORIGIN/,
    );
    expect(() => sdkSettingsFromEnv({ ATTEST_PUBLIC_ORIGIN: "ftp://a.example" })).toThrow(
      ConfigError,
    );
  });
});
