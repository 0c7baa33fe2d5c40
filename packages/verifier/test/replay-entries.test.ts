import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createDpopProofVerifier, MemoryReplayStore } from "../src/index.js";
import { makeKey, NOW_S, now, REQUEST_URL, signProof } from "./dpop-proofs.js";

const fresh = () => randomBytes(12).toString("base64url");

describe("the replay store holds one entry per accepted proof", () => {
  it("a store of N entries takes N proofs with unique nonces, then fails closed", async () => {
    const key = await makeKey();
    const replay = new MemoryReplayStore({ maxEntries: 3, now });
    const verify = createDpopProofVerifier({ replay, uniqueNonce: true, now });
    const proof = () =>
      signProof(key, { jti: fresh(), nonce: fresh(), htm: "POST", htu: REQUEST_URL, iat: NOW_S });
    for (let i = 1; i <= 3; i++) {
      await verify(await proof(), { method: "POST", url: REQUEST_URL });
      expect(replay.size).toBe(i);
    }
    // Full: a fourth proof is refused rather than let through unremembered.
    await expect(verify(await proof(), { method: "POST", url: REQUEST_URL })).rejects.toMatchObject(
      { code: "replayed" },
    );
  });

  it("a resent proof and a new proof reusing its nonce are both replays", async () => {
    const key = await makeKey();
    const replay = new MemoryReplayStore({ now });
    const verify = createDpopProofVerifier({ replay, uniqueNonce: true, now });
    const nonce = fresh();
    const first = await signProof(key, {
      jti: fresh(),
      nonce,
      htm: "POST",
      htu: REQUEST_URL,
      iat: NOW_S,
    });
    await verify(first, { method: "POST", url: REQUEST_URL });
    for (const again of [
      first,
      await signProof(key, { jti: fresh(), nonce, htm: "POST", htu: REQUEST_URL, iat: NOW_S }),
    ]) {
      await expect(verify(again, { method: "POST", url: REQUEST_URL })).rejects.toMatchObject({
        code: "replayed",
      });
    }
    expect(replay.size).toBe(1);
  });
});
