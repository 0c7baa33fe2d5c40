// The crypto a request cannot do without, with node:crypto directly in a tight loop on
// one thread: the ceiling the service's throughput is compared with.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPublicKey,
  createSecretKey,
  hkdfSync,
  randomBytes,
  verify,
} from "node:crypto";
import { performance } from "node:perf_hooks";
import { ownCpuMicros } from "./process-cpu.mjs";

const BATCH = 32;

/** Runs `op` for `ms`; resolves ops/s and this process's CPU per op (µs). */
export function timeLoop(op, ms) {
  let count = 0;
  const cpuStart = ownCpuMicros();
  const start = performance.now();
  const end = start + ms;
  let now = start;
  while (now < end) {
    for (let i = 0; i < BATCH; i++) op();
    count += BATCH;
    now = performance.now();
  }
  const cpu = ownCpuMicros() - cpuStart;
  return { perSecond: count / ((now - start) / 1000), cpuMicros: cpu / count, count };
}

/** The HS256 step of an Approov token: HMAC-SHA256 over `header.payload`, base64url. */
export function hs256Signer(key, signingInput) {
  const secretKey = createSecretKey(key);
  return () => createHmac("sha256", secretKey).update(signingInput).digest("base64url");
}

/** ES256 check of a compact JWS (a DPoP proof) with an already imported public key. */
export function es256Verifier(jws, publicKey) {
  const dot = jws.lastIndexOf(".");
  const input = jws.slice(0, dot);
  const signature = jws.slice(dot + 1);
  return () => {
    const ok = verify(
      "sha256",
      Buffer.from(input),
      { key: publicKey, dsaEncoding: "ieee-p1363" },
      Buffer.from(signature, "base64url"),
    );
    if (!ok) throw new Error("the proof did not verify");
  };
}

/** The refresh token's key (SDK protocol): HKDF-SHA256(secret, "", info, 32 bytes). */
export function refreshTokenKey(accountSecretBase64) {
  const ikm = Buffer.from(accountSecretBase64, "base64");
  return Buffer.from(hkdfSync("sha256", ikm, Buffer.alloc(0), "approov refresh token v1", 32));
}

/** A256GCM decryption of a compact `dir` JWE (AAD = the protected header's base64url). */
export function a256gcmDecrypter(jwe, key) {
  const [header, , iv, ciphertext, tag] = jwe.split(".");
  const aad = Buffer.from(header, "ascii");
  return () => {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(aad);
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]);
  };
}

/** A `dir` + A256GCM JWE with the same header and plaintext length as `jwe`, own key. */
export function sameSizeJwe(jwe) {
  const [header, , , ciphertext] = jwe.split(".");
  const key = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(header, "ascii"));
  const plaintext = randomBytes(Buffer.from(ciphertext, "base64url").length);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const parts = [iv, body, cipher.getAuthTag()].map((part) => part.toString("base64url"));
  return { jwe: [header, "", ...parts].join("."), key };
}

/** The nonce key (SDK protocol): HKDF-SHA256(secret, "", "approov dpop nonce v1", 32). */
export function nonceKey(accountSecretBase64) {
  const ikm = Buffer.from(accountSecretBase64, "base64");
  return Buffer.from(hkdfSync("sha256", ikm, Buffer.alloc(0), "approov dpop nonce v1", 32));
}

/**
 * The other per-request crypto of /refresh (outside the brief's three operations),
 * measured one by one for the breakdown.
 */
export function refreshExtras(jwk, key) {
  const nonceBody = randomBytes(24).toString("base64url");
  return {
    "nonce HMAC-SHA256 (x2 per request: check + issue)": () =>
      createHmac("sha256", key).update(nonceBody, "ascii").digest(),
    "JWK thumbprint SHA-256": () =>
      createHash("sha256")
        .update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }))
        .digest("base64url"),
    "import the proof JWK (createPublicKey)": () => createPublicKey({ key: jwk, format: "jwk" }),
  };
}
