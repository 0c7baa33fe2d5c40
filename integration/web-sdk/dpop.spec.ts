import { DpopProofError, MemoryReplayStore, verifyDpopProof } from "@shapes/verifier";
import { expect, PUBLISHER, test } from "./support/fixtures.js";
import { checkProofSignature, sha256Base64url, verifyApproovToken } from "./support/tokens.js";

test.describe("getDPoPToken", () => {
  test("a proof with the seed's claims, verified with jose on the Node side", async ({
    sdkPage,
    sdkConfig,
    stack,
  }) => {
    const nonce = { app: "nonce", n: [1, 2, 3] };
    const { token, proof, bare, proofs } = await sdkPage.evaluate(
      async ({ config, response, nonce }) => {
        const { Approov } = window.sdk;
        await Approov.initializeSession(config);
        const token = await Approov.fetchToken("localhost", { hcaptchaToken: response });
        const proof = await Approov.getDPoPToken(
          "POST",
          "https://api.example.com/v2/shapes?x=1#top",
          nonce,
          token,
          "message-hash",
        );
        // Falsy nonce, token and message signature: those claims are left out.
        const bare = await Approov.getDPoPToken("GET", "https://api.example.com/", 0, "", "");
        const proofs = await Promise.all(
          Array.from({ length: 20 }, () => Approov.getDPoPToken("GET", "https://api.example.com/")),
        );
        return { token, proof, bare, proofs };
      },
      { config: sdkConfig, response: PUBLISHER.response, nonce },
    );
    const checked = await checkProofSignature(proof);
    expect(checked.header).toEqual({ typ: "dpop+jwt", alg: "ES256", jwk: expect.any(Object) });
    expect(checked.header.jwk).toEqual({
      kty: "EC",
      crv: "P-256",
      x: expect.stringMatching(/^[\w-]{43}$/),
      y: expect.stringMatching(/^[\w-]{43}$/),
    });
    expect(checked.claims).toEqual({
      jti: expect.stringMatching(/^[\w-]{22,}$/),
      htm: "POST",
      htu: "https://api.example.com/v2/shapes",
      iat: expect.any(Number),
      nonce,
      ath: await sha256Base64url(token),
      msgs: "message-hash",
    });
    expect(Math.abs((checked.claims.iat as number) - Date.now() / 1000)).toBeLessThan(10);
    // The Approov token is bound to this very key.
    const claims = await verifyApproovToken(token, stack.secretKey);
    expect(claims.cnf).toEqual({ jkt: checked.jkt });

    const bareClaims = (await checkProofSignature(bare)).claims;
    expect(Object.keys(bareClaims).sort()).toEqual(["htm", "htu", "iat", "jti"]);
    const jtis = await Promise.all(
      proofs.map(async (p) => (await checkProofSignature(p)).claims.jti),
    );
    expect(new Set(jtis).size).toBe(proofs.length);
  });

  test("a backend accepts it with verifyDpopProof from @shapes/verifier", async ({
    sdkPage,
    sdkConfig,
    stack,
  }) => {
    const url = "https://api.example.com/v2/shapes";
    const { token, proof } = await sdkPage.evaluate(
      async ({ config, response, url }) => {
        const { Approov } = window.sdk;
        await Approov.initializeSession(config);
        const token = await Approov.fetchToken("localhost", { hcaptchaToken: response });
        const proof = await Approov.getDPoPToken(
          "GET",
          `${url}?page=2`,
          "app-nonce-1",
          token,
          "msg-hash",
        );
        return { token, proof };
      },
      { config: sdkConfig, response: PUBLISHER.response, url },
    );
    const claims = await verifyApproovToken(token, stack.secretKey);
    const replay = new MemoryReplayStore();
    const options = {
      method: "GET",
      url: `${url}?page=2`,
      replay,
      accessToken: token,
      expectedJkt: (claims.cnf as { jkt: string }).jkt,
      messageHash: "msg-hash",
      nonce: (nonce: string | undefined) => nonce === "app-nonce-1",
    };
    const verified = await verifyDpopProof(proof, options);
    expect(verified.jkt).toBe(options.expectedJkt);
    // The same proof twice is a replay.
    await expect(verifyDpopProof(proof, options)).rejects.toBeInstanceOf(DpopProofError);
    // A token from another session does not go with this proof.
    await expect(
      verifyDpopProof(proof, {
        ...options,
        replay: new MemoryReplayStore(),
        expectedJkt: "x".repeat(43),
      }),
    ).rejects.toBeInstanceOf(DpopProofError);
  });

  test("the seed's DPoP example (with its typos fixed) produces a proof a backend accepts", async ({
    sdkPage,
    sdkConfig,
  }) => {
    const requestBody = JSON.stringify({ shape: "circle" });
    const { dpopToken, approovToken, nonceValue, messageSignature } = await sdkPage.evaluate(
      async ({ config, response, requestBody }) => {
        const { Approov } = window.sdk;
        await Approov.initializeSession(config);
        await Approov.fetchToken("localhost", { hcaptchaToken: response });
        // The seed's helpers; `stringToUint8Array` is TextEncoder, `getRandomValues` is on
        // crypto (not crypto.subtle) and the hash is awaited, as the seed means.
        async function sha256Hash(str: string) {
          const uint8Arr = new TextEncoder().encode(str);
          const hashBuffer = await window.crypto.subtle.digest("SHA-256", uint8Arr);
          return new Uint8Array(hashBuffer);
        }
        function uint8ArrayToBase64URL(uint8Arr: Uint8Array) {
          const str = String.fromCharCode.apply(null, Array.from(uint8Arr));
          const base64 = btoa(str);
          return base64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=/g, "");
        }
        const nonce = new Uint32Array(8);
        window.crypto.getRandomValues(nonce);
        const approovToken = await Approov.fetchToken("localhost", {});
        const messageSignature = uint8ArrayToBase64URL(await sha256Hash(requestBody));
        const nonceValue = uint8ArrayToBase64URL(new Uint8Array(nonce.buffer));
        const dpopToken = await Approov.getDPoPToken(
          "POST",
          "https://" + "api.example.com",
          nonceValue,
          approovToken,
          messageSignature,
        );
        return { dpopToken, approovToken, nonceValue, messageSignature };
      },
      { config: sdkConfig, response: PUBLISHER.response, requestBody },
    );
    expect(messageSignature).toBe(await sha256Base64url(requestBody));
    const verified = await verifyDpopProof(dpopToken, {
      method: "POST",
      url: "https://api.example.com",
      accessToken: approovToken,
      messageHash: messageSignature,
      nonce: (nonce: string | undefined) => nonce === nonceValue,
    });
    expect(verified.claims.htu).toBe("https://api.example.com");
  });

  test("a binary messageSignature goes in msgs as base64url; bad arguments are ApproovErrors", async ({
    sdkPage,
    sdkConfig,
  }) => {
    const { proof, errors } = await sdkPage.evaluate(async (config) => {
      const { Approov } = window.sdk;
      await Approov.initializeSession(config);
      const proof = await Approov.getDPoPToken(
        "GET",
        "https://a.example/",
        null,
        null as never,
        new Uint8Array([250, 251, 252]),
      );
      const errors = [];
      for (const args of [
        ["", "https://a.example/"],
        ["GET", ""],
        ["GET", "https://a.example/", null, 42],
        ["GET", "https://a.example/", null, null, { not: "a string" }],
        ["GET", "https://a.example/", 10n],
      ]) {
        try {
          await (Approov.getDPoPToken as (...a: unknown[]) => Promise<string>)(...args);
          errors.push(undefined);
        } catch (error) {
          errors.push(window.describeError(error).classes);
        }
      }
      return { proof, errors };
    }, sdkConfig);
    expect((await checkProofSignature(proof)).claims.msgs).toBe("-vv8");
    expect(errors).toEqual(Array(5).fill(["Error", "ApproovError"]));
  });
});

test.describe("messageSignature", () => {
  test("signs with the session key: verifiable in Node with the proofs' jwk", async ({
    sdkPage,
    sdkConfig,
  }) => {
    const message = "This is an unmodifiable message";
    const { signatures, proof } = await sdkPage.evaluate(
      async ({ config, message }) => {
        const { Approov } = window.sdk;
        await Approov.initializeSession(config);
        const bytes = new TextEncoder().encode(message);
        // A view into a larger buffer: only the view's bytes are signed.
        const padded = new Uint8Array(bytes.length + 8);
        padded.set(bytes, 4);
        const signatures = [
          await Approov.messageSignature(bytes),
          await Approov.messageSignature(bytes.buffer),
          await Approov.messageSignature(new DataView(padded.buffer, 4, bytes.length)),
          await Approov.messageSignature(padded.subarray(4, 4 + bytes.length)),
        ].map((signature) => ({
          isArrayBuffer: signature instanceof ArrayBuffer,
          bytes: Array.from(new Uint8Array(signature)),
        }));
        const proof = await Approov.getDPoPToken("GET", "https://a.example/");
        return { signatures, proof };
      },
      { config: sdkConfig, message },
    );
    const { header } = await checkProofSignature(proof);
    const key = await crypto.subtle.importKey(
      "jwk",
      header.jwk,
      { name: "ECDSA", namedCurve: "P-256" },
      false,
      ["verify"],
    );
    const algorithm = { name: "ECDSA", hash: "SHA-256" };
    const data = new TextEncoder().encode(message);
    for (const signature of signatures) {
      expect(signature.isArrayBuffer).toBe(true);
      expect(signature.bytes).toHaveLength(64);
      const raw = new Uint8Array(signature.bytes);
      expect(await crypto.subtle.verify(algorithm, key, raw, data)).toBe(true);
      expect(
        await crypto.subtle.verify(algorithm, key, raw, new TextEncoder().encode(`${message}!`)),
      ).toBe(false);
    }
  });

  test("refuses anything but binary data", async ({ sdkPage, sdkConfig }) => {
    const classes = await sdkPage.evaluate(async (config) => {
      const { Approov } = window.sdk;
      await Approov.initializeSession(config);
      try {
        await Approov.messageSignature("text" as never);
      } catch (error) {
        return window.describeError(error).classes;
      }
    }, sdkConfig);
    expect(classes).toEqual(["Error", "ApproovError"]);
  });
});
