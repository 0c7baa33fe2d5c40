// Token check rates, measured against the physical limit: a raw node:crypto HMAC-SHA256
// verify of the same token (HMAC over header.payload + timingSafeEqual).
import { createHmac, createSecretKey, randomBytes, timingSafeEqual } from "node:crypto";
import jwt from "jsonwebtoken";
import { createApproovTokenVerifier } from "../dist/index.js";

const SECRET = randomBytes(32);

/** An Approov token as attest issues it (HS256, JWT claims), built with node:crypto. */
function makeToken(index) {
  const now = Math.floor(Date.now() / 1000);
  const header = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");
  const claims = {
    arc: `ARC${index.toString(36).toUpperCase().padStart(7, "0")}`,
    embed: {
      "hcap:10000000-ffff-ffff-ffff-000000000001": {
        challenge_ts: new Date().toISOString(),
        hostname: "localhost",
      },
    },
    exp: now + 600,
    iat: now,
    ip: "127.0.0.1",
  };
  const input = `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
  const signature = createHmac("sha256", SECRET).update(input).digest("base64url");
  return `${input}.${signature}`;
}

/** Calls `step` in batches until `ms` have passed; answers calls per second. */
async function rate(ms, step, batch = 256) {
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < batch; i++) await step(calls + i);
    calls += batch;
    elapsed = performance.now() - start;
  }
  return (calls / elapsed) * 1000;
}

function syncRate(ms, step, batch = 1024) {
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < batch; i++) step();
    calls += batch;
    elapsed = performance.now() - start;
  }
  return (calls / elapsed) * 1000;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Verifies each token once, sequentially; answers checks per second. */
async function timedOnce(verify, tokens) {
  const start = performance.now();
  for (const token of tokens) await verify(token);
  return (tokens.length / (performance.now() - start)) * 1000;
}

/**
 * jsonwebtoken on each token once, HS256 only: with the secret as a Buffer, as Approov's Node
 * quickstarts pass it (jsonwebtoken then builds a KeyObject per call), or with a KeyObject
 * made once (its fastest setup).
 */
function timedJsonwebtoken(tokens, key) {
  const start = performance.now();
  for (const token of tokens) jwt.verify(token, key, { algorithms: ["HS256"] });
  return (tokens.length / (performance.now() - start)) * 1000;
}

/**
 * Interleaved rounds (raw, repeated, fresh, jsonwebtoken) so machine noise hits all alike;
 * the median of each is reported. Fresh tokens are made before each round, untimed.
 */
export async function benchTokens({ rounds = 3, roundMs = 1000, freshPerRound = 20_000 } = {}) {
  const token = makeToken(0);
  const dot = token.lastIndexOf(".");
  const input = token.slice(0, dot);
  const signature = Buffer.from(token.slice(dot + 1), "base64url");
  const rawVerify = () => {
    const mac = createHmac("sha256", SECRET).update(input).digest();
    if (!timingSafeEqual(mac, signature)) throw new Error("raw HMAC did not verify");
  };

  // Default settings: the cache is on, as a service would run it.
  const verify = createApproovTokenVerifier({ secret: new Uint8Array(SECRET) });
  // The same check without the cache: what a fresh token costs before it is remembered.
  const verifyUncached = createApproovTokenVerifier({
    secret: new Uint8Array(SECRET),
    cache: false,
  });
  const keyObject = createSecretKey(SECRET);
  let made = 1;
  const freshTokens = (count) => Array.from({ length: count }, () => makeToken(made++));

  // Warm-up: JIT, key import, cache filling up.
  syncRate(200, rawVerify);
  await rate(200, () => verify(token));
  await timedOnce(verify, freshTokens(2000));
  await timedOnce(verifyUncached, freshTokens(2000));
  timedJsonwebtoken(freshTokens(2000), SECRET);
  timedJsonwebtoken(freshTokens(2000), keyObject);

  const raw = [];
  const repeated = [];
  const fresh = [];
  const uncached = [];
  const generic = [];
  const genericKeyObject = [];
  for (let round = 0; round < rounds; round++) {
    const batch = freshTokens(freshPerRound);
    raw.push(syncRate(roundMs, rawVerify));
    repeated.push(await rate(roundMs, () => verify(token)));
    fresh.push(await timedOnce(verify, batch));
    // The same fresh tokens (the verifier cached them, jsonwebtoken has no cache).
    uncached.push(await timedOnce(verifyUncached, batch));
    generic.push(timedJsonwebtoken(batch, SECRET));
    genericKeyObject.push(timedJsonwebtoken(batch, keyObject));
  }
  return {
    raw: median(raw),
    repeated: median(repeated),
    fresh: median(fresh),
    uncached: median(uncached),
    jsonwebtoken: median(generic),
    jsonwebtokenKeyObject: median(genericKeyObject),
  };
}
