import nodeCrypto from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApproovTokenError, createApproovTokenVerifier } from "../src/index.js";
import { ENCRYPTION_SECRET, encryptToken, SECRET, signToken } from "./tokens.js";

/** A settable clock (ms), so cache expiry is exact. */
function clock(startSeconds: number) {
  let ms = startSeconds * 1000;
  return {
    now: () => ms,
    set(seconds: number) {
      ms = seconds * 1000;
    },
  };
}

const T0 = Math.floor(Date.now() / 1000);

afterEach(() => vi.restoreAllMocks());

/** HS256 signatures are checked with node:crypto's HMAC, JWEs decrypted with WebCrypto. */
function countVerifications() {
  const subtle = globalThis.crypto.subtle;
  return {
    hmac: vi.spyOn(nodeCrypto, "createHmac"),
    aes: vi.spyOn(subtle, "decrypt"),
  };
}

describe("verified-result cache", () => {
  it("checks a repeated token's signature once, and answers the same claims", async () => {
    const token = await signToken({ exp: T0 + 300, ip: "192.0.2.7" });
    const spies = countVerifications();
    const verify = createApproovTokenVerifier({ secret: SECRET });
    const first = await verify(token);
    for (let i = 0; i < 5; i++) expect(await verify(token)).toBe(first);
    expect(first).toEqual({ exp: T0 + 300, ip: "192.0.2.7" });
    expect(spies.hmac).toHaveBeenCalledTimes(1);
  });

  it("checks every time when turned off", async () => {
    const token = await signToken();
    const spies = countVerifications();
    const verify = createApproovTokenVerifier({ secret: SECRET, cache: false });
    for (let i = 0; i < 3; i++) await verify(token);
    expect(spies.hmac).toHaveBeenCalledTimes(3);
  });

  it("caches JWE tokens too (no second decryption)", async () => {
    const token = await encryptToken({ exp: T0 + 300 });
    const spies = countVerifications();
    const verify = createApproovTokenVerifier({ encryptionSecret: ENCRYPTION_SECRET });
    await verify(token);
    const afterFirst = spies.aes.mock.calls.length;
    expect(afterFirst).toBeGreaterThan(0);
    await verify(token);
    expect(spies.aes.mock.calls.length).toBe(afterFirst);
  });

  it("stops answering a cached token at its exp (plus the tolerance)", async () => {
    const time = clock(T0);
    const verify = createApproovTokenVerifier({
      secret: SECRET,
      clockToleranceSeconds: 2,
      now: time.now,
    });
    const token = await signToken({ exp: T0 + 60 });
    await expect(verify(token)).resolves.toBeTruthy();
    time.set(T0 + 61); // past exp, within the tolerance
    await expect(verify(token)).resolves.toBeTruthy();
    time.set(T0 + 62); // exp <= now - tolerance: expired, cached or not
    const error = await verify(token).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApproovTokenError);
    expect((error as ApproovTokenError).code).toBe("expired");
  });

  it("does not cache failures: a refused token is re-checked, and stays refused", async () => {
    const token = await signToken({ exp: T0 + 300, nbf: T0 + 100 });
    const time = clock(T0);
    const spies = countVerifications();
    const verify = createApproovTokenVerifier({ secret: SECRET, now: time.now });
    for (let i = 0; i < 2; i++) {
      const error = await verify(token).catch((caught: unknown) => caught);
      expect((error as ApproovTokenError).code).toBe("not-yet-valid");
    }
    expect(spies.hmac).toHaveBeenCalledTimes(2);
    time.set(T0 + 100);
    await expect(verify(token)).resolves.toBeTruthy();
  });

  it("is keyed by the whole token: one changed character is a different entry", async () => {
    const token = await signToken();
    const verify = createApproovTokenVerifier({ secret: SECRET });
    await verify(token);
    const last = token.at(-2) === "A" ? "B" : "A";
    const forged = `${token.slice(0, -2)}${last}${token.slice(-1)}`;
    const error = await verify(forged).catch((caught: unknown) => caught);
    expect((error as ApproovTokenError).code).toBe("bad-signature");
  });

  it("is bounded: beyond maxEntries the oldest entry goes (FIFO)", async () => {
    const tokens = await Promise.all([1, 2, 3].map((i) => signToken({ exp: T0 + 300 + i })));
    const spies = countVerifications();
    const verify = createApproovTokenVerifier({ secret: SECRET, cache: { maxEntries: 2 } });
    for (const token of tokens) await verify(token); // 3 checks; tokens[0] evicted
    await verify(tokens[2] as string); // hit
    await verify(tokens[1] as string); // hit
    expect(spies.hmac).toHaveBeenCalledTimes(3);
    await verify(tokens[0] as string); // miss: checked again
    expect(spies.hmac).toHaveBeenCalledTimes(4);
  });

  it("is bounded in characters: a token larger than maxChars is not cached", async () => {
    const token = await signToken({ exp: T0 + 300, arc: "x".repeat(500) });
    const spies = countVerifications();
    const verify = createApproovTokenVerifier({ secret: SECRET, cache: { maxChars: 200 } });
    await verify(token);
    await verify(token);
    expect(spies.hmac).toHaveBeenCalledTimes(2);
  });

  it("hands out frozen claims, so one request cannot change another's", async () => {
    const verify = createApproovTokenVerifier({ secret: SECRET });
    const claims = await verify(
      await signToken({ exp: T0 + 300, embed: { "hcap:k": { hostname: "a" } } }),
    );
    expect(Object.isFrozen(claims)).toBe(true);
    expect(Object.isFrozen(claims.embed?.["hcap:k"])).toBe(true);
    expect(() => {
      (claims as { ip?: string }).ip = "6.6.6.6";
    }).toThrow(TypeError);
  });

  it("does not share results between verifiers (a new key set is a new verifier)", async () => {
    const token = await signToken();
    await createApproovTokenVerifier({ secret: SECRET })(token);
    const other = createApproovTokenVerifier({ secret: ENCRYPTION_SECRET });
    const error = await other(token).catch((caught: unknown) => caught);
    expect((error as ApproovTokenError).code).toBe("bad-signature");
  });

  it("verify.cached answers hits synchronously, and nothing else", async () => {
    const time = clock(T0);
    const verify = createApproovTokenVerifier({ secret: SECRET, now: time.now });
    const token = await signToken({ exp: T0 + 60 });
    expect(verify.cached?.(token)).toBeUndefined(); // not verified yet
    const claims = await verify(token);
    expect(verify.cached?.(token)).toBe(claims);
    expect(verify.cached?.(`${token}x`)).toBeUndefined();
    expect(verify.cached?.("")).toBeUndefined();
    time.set(T0 + 63);
    expect(verify.cached?.(token)).toBeUndefined(); // expired
    const uncached = createApproovTokenVerifier({ secret: SECRET, cache: false });
    await uncached(token).catch(() => undefined);
    expect(uncached.cached?.(token)).toBeUndefined();
  });
});
