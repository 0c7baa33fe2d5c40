// DPoP proof check rates: proofs from ONE key (an SDK session signs every request with its
// key) vs proofs from a fresh key each, next to the raw node:crypto ES256 verify of a proof.
//
//   node bench/dpop-bench.mjs [--dist ../dist] [--rounds 3] [--proofs 3000]
//
// --dist points at another build of this package (e.g. a copy of dist/ from before a
// change) so two builds can be measured on the same machine, minutes apart.
import { createPublicKey, generateKeyPair, randomBytes, sign, verify } from "node:crypto";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs, promisify } from "node:util";

const URL_ = "https://attest.example.com/refresh";
const b64url = (value) => Buffer.from(value).toString("base64url");

const newKeyPair = promisify(generateKeyPair);

/**
 * A P-256 key as the web SDK makes one, with its public JWK. Async on purpose: Node 20's
 * generateKeyPairSync can deadlock when a GC finalises an earlier key job mid-call.
 */
async function makeKey() {
  const { privateKey, publicKey } = await newKeyPair("ec", { namedCurve: "P-256" });
  const { kty, crv, x, y } = publicKey.export({ format: "jwk" });
  return { privateKey, publicKey, jwk: { kty, crv, x, y } };
}

/** A real ES256 DPoP proof (node:crypto, IEEE P1363 signature), a fresh jti each time. */
function makeProof(key, iat) {
  const header = b64url(JSON.stringify({ typ: "dpop+jwt", alg: "ES256", jwk: key.jwk }));
  const claims = { jti: b64url(randomBytes(16)), htm: "POST", htu: URL_, iat };
  const input = `${header}.${b64url(JSON.stringify(claims))}`;
  const signature = sign("sha256", Buffer.from(input), {
    key: key.privateKey,
    dsaEncoding: "ieee-p1363",
  });
  return `${input}.${b64url(signature)}`;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Checks each proof once, `inFlight` at a time; answers checks per second. */
async function timed(check, proofs, inFlight = 1) {
  const start = performance.now();
  for (let i = 0; i < proofs.length; i += inFlight) {
    const batch = proofs.slice(i, i + inFlight);
    await Promise.all(batch.map((proof) => check(proof)));
  }
  return (proofs.length / (performance.now() - start)) * 1000;
}

function rawRate(proof, publicKey, ms) {
  const dot = proof.lastIndexOf(".");
  const input = proof.slice(0, dot);
  const signature = proof.slice(dot + 1);
  let count = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 64; i++) {
      const ok = verify(
        "sha256",
        Buffer.from(input),
        { key: publicKey, dsaEncoding: "ieee-p1363" },
        Buffer.from(signature, "base64url"),
      );
      if (!ok) throw new Error("raw verify failed");
    }
    count += 64;
    elapsed = performance.now() - start;
  }
  return (count / elapsed) * 1000;
}

/**
 * Interleaved rounds so machine noise hits every row alike; medians are reported.
 * Every check uses a real MemoryReplayStore (as a service does) and must succeed.
 */
export async function benchDpop({ dist, rounds = 3, proofs: count = 3000 } = {}) {
  const lib = await import(pathToFileURL(resolve(dist, "index.js")).href);
  const { verifyDpopProof, MemoryReplayStore } = lib;
  const factory = lib.createDpopProofVerifier;
  const nowS = Math.floor(Date.now() / 1000);
  const sessionKey = await makeKey();
  const rawKey = createPublicKey({ key: sessionKey.jwk, format: "jwk" });

  const perCall = () => {
    const replay = new MemoryReplayStore({ maxEntries: 1_000_000 });
    return (proof) => verifyDpopProof(proof, { method: "POST", url: URL_, replay });
  };
  const fromFactory = () => {
    const check = factory({ replay: new MemoryReplayStore({ maxEntries: 1_000_000 }) });
    return (proof) => check(proof, { method: "POST", url: URL_ });
  };
  const oneKey = () => Array.from({ length: count }, () => makeProof(sessionKey, nowS));
  const freshKeys = async () => {
    const keys = await Promise.all(Array.from({ length: count }, makeKey));
    return keys.map((key) => makeProof(key, nowS));
  };

  const rows = {
    raw: [],
    oneKey: [],
    oneKey16: [],
    freshKeys: [],
    ...(factory ? { factoryOneKey: [] } : {}),
  };
  // Warm-up (JIT, jose's lazy setup), untimed.
  await timed(perCall(), oneKey().slice(0, 500));
  await timed(perCall(), (await freshKeys()).slice(0, 300));
  for (let round = 0; round < rounds; round++) {
    rows.raw.push(rawRate(makeProof(sessionKey, nowS), rawKey, 500));
    rows.oneKey.push(await timed(perCall(), oneKey()));
    rows.oneKey16.push(await timed(perCall(), oneKey(), 16));
    const fresh = await freshKeys();
    rows.freshKeys.push(await timed(perCall(), fresh));
    if (factory) rows.factoryOneKey.push(await timed(fromFactory(), oneKey()));
  }
  return Object.fromEntries(Object.entries(rows).map(([name, list]) => [name, median(list)]));
}

async function main() {
  const { values } = parseArgs({
    options: {
      dist: { type: "string", default: fileURLToPath(new URL("../dist", import.meta.url)) },
      rounds: { type: "string", default: "3" },
      proofs: { type: "string", default: "3000" },
    },
  });
  const result = await benchDpop({
    dist: values.dist,
    rounds: Number(values.rounds),
    proofs: Number(values.proofs),
  });
  const names = {
    raw: "raw node:crypto ES256 verify (key imported once)",
    oneKey: "verifyDpopProof, one key, sequential",
    oneKey16: "verifyDpopProof, one key, 16 in flight",
    freshKeys: "verifyDpopProof, a fresh key per proof",
    factoryOneKey: "createDpopProofVerifier, one key, sequential",
  };
  const fmt = (n) => Math.round(n).toLocaleString("en-US");
  console.log(`dpop bench: ${values.dist}, node ${process.version}, median of ${values.rounds}`);
  for (const [name, rate] of Object.entries(result)) {
    const line = `${names[name].padEnd(48)} ${`${fmt(rate)} /s`.padStart(12)}`;
    console.log(`${line}  ${(1e6 / rate).toFixed(1).padStart(7)} µs/proof`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
