import { expect, PUBLISHER, test } from "./support/fixtures.js";
import { checkProofSignature } from "./support/tokens.js";

declare global {
  interface Window {
    generatedKeyPairs: CryptoKeyPair[];
  }
}

test.describe("the session key", () => {
  test.beforeEach(async ({ page }) => {
    // Wrap generateKey before any page script runs, to get hold of the pairs the SDK makes.
    await page.addInitScript(() => {
      window.generatedKeyPairs = [];
      const subtle = crypto.subtle;
      const generateKey = subtle.generateKey.bind(subtle);
      subtle.generateKey = (async (...args: Parameters<SubtleCrypto["generateKey"]>) => {
        const result = await generateKey(...args);
        if ("privateKey" in result) window.generatedKeyPairs.push(result);
        return result;
      }) as SubtleCrypto["generateKey"];
    });
  });

  test("is an ECDSA P-256 pair whose private key WebCrypto refuses to export", async ({
    sdkPage,
    sdkConfig,
  }) => {
    const result = await sdkPage.evaluate(async (config) => {
      const { Approov } = window.sdk;
      await Approov.initializeSession(config);
      const pairs = window.generatedKeyPairs;
      const pair = pairs[0] as CryptoKeyPair;
      const attempts: string[] = [];
      for (const format of ["jwk", "pkcs8"] as const) {
        try {
          await crypto.subtle.exportKey(format, pair.privateKey);
          attempts.push(`${format}: exported`);
        } catch (error) {
          attempts.push(`${format}: ${(error as Error).name}`);
        }
      }
      const publicJwk = await crypto.subtle.exportKey("jwk", pair.publicKey);
      const proof = await Approov.getDPoPToken("GET", "https://api.example/");
      return {
        count: pairs.length,
        algorithm: pair.privateKey.algorithm,
        extractable: pair.privateKey.extractable,
        usages: pair.privateKey.usages,
        attempts,
        publicJwk: { kty: publicJwk.kty, crv: publicJwk.crv, x: publicJwk.x, y: publicJwk.y },
        proof,
      };
    }, sdkConfig);
    expect(result.count).toBe(1);
    expect(result.algorithm).toEqual({ name: "ECDSA", namedCurve: "P-256" });
    expect(result.extractable).toBe(false);
    expect(result.usages).toEqual(["sign"]);
    expect(result.attempts).toEqual(["jwk: InvalidAccessError", "pkcs8: InvalidAccessError"]);
    // The proofs carry the public half of that very pair, and only public members.
    const { header } = await checkProofSignature(result.proof);
    expect(header.jwk).toEqual(result.publicJwk);
    expect(Object.keys(header.jwk).sort()).toEqual(["crv", "kty", "x", "y"]);
  });

  test("is not reachable from anything the SDK exports or adds to the page", async ({
    page,
    stack,
    sdkConfig,
  }) => {
    await page.goto(`${stack.pageOrigin}/`);
    const found = await page.evaluate(async (config) => {
      const globalsBefore = new Set(Object.getOwnPropertyNames(window));
      const path = "/approov.js";
      const sdk = await import(path);
      await sdk.Approov.initializeSession(config);
      await sdk.Approov.fetchToken("localhost", {
        hcaptchaToken: "10000000-aaaa-bbbb-cccc-000000000001",
      });
      // Walk every property (own, non-enumerable, symbols, prototypes, getters' values)
      // of every object reachable from the module's exports, looking for a CryptoKey.
      const seen = new Set<unknown>();
      const keys: string[] = [];
      const walk = (value: unknown, trail: string) => {
        if ((typeof value !== "object" && typeof value !== "function") || value === null) return;
        if (seen.has(value)) return;
        seen.add(value);
        if (value instanceof CryptoKey) keys.push(trail);
        for (const name of Reflect.ownKeys(value)) {
          let child: unknown;
          try {
            child = (value as Record<PropertyKey, unknown>)[name];
          } catch {
            continue;
          }
          walk(child, `${trail}.${String(name)}`);
        }
        walk(Object.getPrototypeOf(value), `${trail}.[[Prototype]]`);
      };
      walk(sdk, "module");
      const newGlobals = Object.getOwnPropertyNames(window).filter(
        (name) => !globalsBefore.has(name),
      );
      const idb = await indexedDB.databases();
      return {
        walked: seen.size,
        keys,
        newGlobals,
        cookies: document.cookie,
        storage: localStorage.length + sessionStorage.length,
        idb: idb.length,
      };
    }, sdkConfig);
    expect(found.walked).toBeGreaterThan(20);
    expect(found.keys).toEqual([]);
    expect(found.newGlobals).toEqual([]);
    // Nothing is persisted: no cookies, no storage.
    expect(found).toMatchObject({ cookies: "", storage: 0, idb: 0 });
  });

  test("initializeSession({}) makes a new key and forgets the old session", async ({
    sdkPage,
    sdkConfig,
  }) => {
    const result = await sdkPage.evaluate(
      async ({ config, response }) => {
        const { Approov } = window.sdk;
        await Approov.initializeSession(config);
        await Approov.fetchToken("localhost", { hcaptchaToken: response });
        const before = await Approov.getExpiries();
        const first = await Approov.getDPoPToken("GET", "https://api.example/");
        await Approov.initializeSession({});
        const second = await Approov.getDPoPToken("GET", "https://api.example/");
        let afterReinit: unknown;
        try {
          await Approov.fetchToken("localhost", {});
        } catch (error) {
          afterReinit = window.describeError(error).classes;
        }
        return {
          first,
          second,
          before,
          after: await Approov.getExpiries(),
          afterReinit,
          pairs: window.generatedKeyPairs.length,
        };
      },
      { config: sdkConfig, response: PUBLISHER.response },
    );
    const first = await checkProofSignature(result.first);
    const second = await checkProofSignature(result.second);
    expect(second.jkt).not.toBe(first.jkt);
    expect(result.pairs).toBe(2);
    expect(Object.keys(result.before)).toContain("session");
    expect(result.after).toEqual({});
    // The new session has no refresh token: it needs a result again.
    expect(result.afterReinit).toEqual(["Error", "ApproovError", "ApproovSessionError"]);
  });
});
