// npm run bench -w @shapes/attest (after the build): /refresh and /attest throughput of the
// real built attest process against the raw node:crypto cost of the crypto each request
// needs, measured in the same run on the same machine. One table; see README "Benchmark".
//
//   node bench/run.mjs [--clients 16] [--seconds 5] [--warmup 1] [--profile refresh|attest|healthz]
//
// --profile runs only that load phase, with attest under `node --cpu-prof`, and prints
// where attest's CPU went (the .cpuprofile is kept for Chrome DevTools).

import { mkdtempSync, readdirSync } from "node:fs";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { recordBenchRows } from "../../../scripts/bench-results.mjs";
import { checkApproovToken, signingInput } from "./approov-token-check.mjs";
import { API, checkForm, HCAPTCHA_TEST_SECRET, PUBLISHER, refreshForm } from "./bench-keys.mjs";
import { closedLoop } from "./closed-loop.mjs";
import { DpopSession } from "./dpop-session.mjs";
import { HttpClient } from "./http-client.mjs";
import { loadAverage } from "./process-cpu.mjs";
import { printProfile, summarizeProfile } from "./profile-summary.mjs";
import {
  a256gcmDecrypter,
  es256Verifier,
  hs256Signer,
  nonceKey,
  refreshExtras,
  refreshTokenKey,
  sameSizeJwe,
  timeLoop,
} from "./raw-crypto.mjs";
import { BenchSetupError, startServices } from "./services.mjs";

const { values: args } = parseArgs({
  options: {
    clients: { type: "string", default: process.env.BENCH_CLIENTS ?? "16" },
    seconds: { type: "string", default: process.env.BENCH_SECONDS ?? "5" },
    warmup: { type: "string", default: process.env.BENCH_WARMUP ?? "1" },
    profile: { type: "string" },
  },
});
const positive = (name, value, max) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > max) {
    console.error(`bench: --${name} must be a number in (0, ${max}], got "${value}"`);
    process.exit(2);
  }
  return n;
};
const clients = Math.round(positive("clients", args.clients, 1024));
const measureMs = positive("seconds", args.seconds, 60) * 1000;
const warmupMs = positive("warmup", args.warmup, 60) * 1000;
if (args.profile !== undefined && !["refresh", "attest", "healthz"].includes(args.profile)) {
  console.error('bench: --profile must be "refresh", "attest" or "healthz"');
  process.exit(2);
}

const fmt = (n) => (n === undefined ? "n/a" : Math.round(n).toLocaleString("en-US"));
const us = (n) => (n === undefined ? "n/a" : `${n.toFixed(1)} µs`);
const pct = (n) => `${(n * 100).toFixed(1)}%`;
const share = (result, name) => {
  const value = result.systemShare[name];
  return value === undefined ? "n/a" : pct(value);
};
const sum = (list, pick) => list.reduce((total, item) => total + pick(item), 0);

function printTable(rows) {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
  for (const [i, row] of rows.entries()) {
    console.log(
      row
        .map((cell, col) => (col === 0 ? cell.padEnd(widths[col]) : cell.padStart(widths[col])))
        .join("  "),
    );
    if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
  }
}

/** N SDK sessions, each through the nonce dance and /token with the publisher test key. */
async function openSessions(http, origin, account) {
  const form = checkForm(account);
  const sessions = Array.from({ length: clients }, () => new DpopSession(origin));
  await Promise.all(
    sessions.map(async (session) => {
      const answer = await session.start(http, form);
      checkApproovToken(answer.tokens[API], account.secret, session.jkt);
    }),
  );
  return sessions;
}

/**
 * Runs `fn` with a fresh keep-alive client: sockets idle through a raw crypto loop may be
 * closed by the server (keep-alive timeout) just as they are reused.
 */
async function withClient(services, fn) {
  const http = new HttpClient(services.attest.url, clients);
  try {
    return await fn(http);
  } finally {
    http.close();
  }
}

/** /refresh load: each client its own session, a fresh proof per request. */
function refreshLoad(sessions, services, account) {
  return withClient(services, (http) => refreshLoadWith(http, sessions, services, account));
}

async function refreshLoadWith(http, sessions, services, account) {
  const forms = sessions.map((s) => refreshForm(account, s));
  let sample;
  const result = await closedLoop({
    clients,
    warmupMs,
    measureMs,
    pids: { attest: services.attest.pid },
    counters: () => ({
      signMicros: sum(sessions, (s) => s.signMicros),
      signed: sum(sessions, (s) => s.signed),
    }),
    request: async (i) => {
      const res = await sessions[i].send(http, "/refresh", forms[i]);
      if (res.status !== 200) return false;
      // One answer per run is checked in full (JSON, HS256, cnf.jkt); the rest by shape.
      if (sample === undefined) {
        sample = JSON.parse(res.text).tokens[API];
        checkApproovToken(sample, account.secret, sessions[i].jkt);
      }
      return res.text.startsWith('{"tokens":');
    },
  });
  return result;
}

/** /attest load: the plain flow with the publisher test key (siteverify on loopback). */
function attestLoad(services, account) {
  return withClient(services, (http) => attestLoadWith(http, services, account));
}

/** GET /healthz load: attest's HTTP + Hono floor, no crypto, no body. */
function healthzLoad(services) {
  return withClient(services, (http) =>
    closedLoop({
      clients,
      warmupMs,
      measureMs,
      pids: { attest: services.attest.pid },
      counters: () => ({}),
      request: async () => (await http.get("/healthz")).status === 200,
    }),
  );
}

/**
 * The sandbox's siteverify alone, with what attest sends for the publisher test key: the
 * upstream half of an /attest, measured without attest.
 */
async function siteverifyLoad(services) {
  const http = new HttpClient(services.sandbox.url, clients);
  const form = [
    ["secret", HCAPTCHA_TEST_SECRET],
    ["response", PUBLISHER.response],
    ["sitekey", PUBLISHER.siteKey],
  ];
  try {
    return await closedLoop({
      clients,
      warmupMs,
      measureMs,
      pids: { sandbox: services.sandbox.pid },
      counters: () => ({}),
      request: async () => {
        const res = await http.postForm("/siteverify", form);
        return res.status === 200 && res.text.includes('"success":true');
      },
    });
  } finally {
    http.close();
  }
}

async function attestLoadWith(http, services, account) {
  const form = checkForm(account);
  let sample;
  const result = await closedLoop({
    clients,
    warmupMs,
    measureMs,
    pids: { attest: services.attest.pid, sandbox: services.sandbox.pid },
    counters: () => ({}),
    request: async () => {
      const res = await http.postForm("/attest", form);
      if (res.status !== 200) return false;
      if (sample === undefined) {
        sample = res.text;
        checkApproovToken(sample, account.secret);
      }
      return res.text.split(".").length === 3;
    },
  });
  return result;
}

function failureNote(name, result) {
  if (result.failed === 0 && result.firstFailure === undefined) return;
  const why = result.firstFailure ? ` (first error: ${result.firstFailure.message})` : "";
  console.log(
    `note: ${name}: ${fmt(result.failed)} answers were not 200 and were not counted${why}`,
  );
}

async function profileRun(services, sessions, profileDir) {
  const loads = {
    refresh: () => refreshLoad(sessions, services, services.account),
    attest: () => attestLoad(services, services.account),
    healthz: () => healthzLoad(services),
  };
  const result = await loads[args.profile]();
  console.log(
    `${args.profile}: ${fmt(result.perSecond)} req/s under --cpu-prof (profiling slows it down)`,
  );
  failureNote(args.profile, result);
  await services.attest.stop();
  const file = readdirSync(profileDir).find((name) => name.endsWith(".cpuprofile"));
  if (!file) throw new BenchSetupError(`attest wrote no profile in ${profileDir}`);
  printProfile(summarizeProfile(join(profileDir, file)));
  console.log(`\nprofile kept: ${join(profileDir, file)} (open in Chrome DevTools)`);
}

async function main() {
  const profileDir = args.profile
    ? mkdtempSync(join(tmpdir(), "attest-bench-profile-"))
    : undefined;
  const load = loadAverage();
  console.log(
    `attest bench: ${availableParallelism()} CPUs (${cpus()[0]?.model.trim() ?? "?"}), node ${process.version}, ` +
      `${clients} clients, ${warmupMs / 1000} s warm-up + ${measureMs / 1000} s per load, ` +
      `load average ${load ?? "n/a"} at start`,
  );
  const services = await startServices({ profileDir });
  try {
    const { account } = services;
    const sessions = await withClient(services, (http) =>
      openSessions(http, services.attest.url, account),
    );
    if (profileDir) return await profileRun(services, sessions, profileDir);

    // The raw crypto of one /refresh: a real proof, a real refresh token, a real token's
    // signing input. The refresh token is decrypted with the key derived as attest does.
    const probe = sessions[0];
    const proof = probe.proof("/refresh");
    const verifyProof = es256Verifier(proof, probe.publicKey);
    let decrypt = a256gcmDecrypter(probe.refreshToken, refreshTokenKey(account.secret));
    let decryptNote = "the real refresh token";
    try {
      decrypt();
    } catch {
      const synthetic = sameSizeJwe(probe.refreshToken);
      decrypt = a256gcmDecrypter(synthetic.jwe, synthetic.key);
      decryptNote = "a same-size JWE (the refresh token did not open with the derived key!)";
    }

    console.log(
      "measuring: raw crypto per refresh, /refresh, raw HS256, /attest, siteverify alone, /healthz, breakdown...",
    );
    // Warm the raw loop up like the services (JIT), then measure for the same time.
    const refreshCryptoOnce = (sign) => () => {
      verifyProof();
      sign();
      decrypt();
    };
    const firstToken = await withClient(services, (http) =>
      refreshTokenProbe(http, probe, account),
    );
    const refreshSign = hs256Signer(
      Buffer.from(account.secret, "base64"),
      signingInput(firstToken),
    );
    timeLoop(refreshCryptoOnce(refreshSign), warmupMs);
    const rawRefresh = timeLoop(refreshCryptoOnce(refreshSign), measureMs);
    const refresh = await refreshLoad(sessions, services, account);

    const attestProbe = await withClient(services, (http) =>
      http.postForm("/attest", checkForm(account)),
    );
    checkApproovToken(attestProbe.text, account.secret);
    const attestSign = hs256Signer(
      Buffer.from(account.secret, "base64"),
      signingInput(attestProbe.text),
    );
    timeLoop(attestSign, warmupMs);
    const rawHs256 = timeLoop(attestSign, measureMs);
    const attest = await attestLoad(services, account);
    const siteverifyAlone = await siteverifyLoad(services);
    // What /attest could do if it cost nothing but its crypto and its upstream check, each
    // measured alone: one over the sum of their times per request.
    const attestIdeal = 1 / (1 / rawHs256.perSecond + 1 / siteverifyAlone.perSecond);
    const healthz = await healthzLoad(services);

    // Breakdown: each operation alone, short loops.
    const pieceMs = 300;
    const pieces = {
      "ES256 verify (proof)": verifyProof,
      "HS256 sign (token)": refreshSign,
      "A256GCM decrypt (refresh token)": decrypt,
      ...refreshExtras(probe.jwk, nonceKey(account.secret)),
      "client: sign a DPoP proof (ES256 + JSON + jti)": () => probe.proof("/refresh"),
    };
    const breakdown = Object.entries(pieces).map(([name, op]) => [name, timeLoop(op, pieceMs)]);

    console.log("");
    printTable([
      ["", "rate", "ratio", "attest CPU / req", "raw CPU / op"],
      [
        "raw crypto per refresh: ES256 verify + HS256 sign + A256GCM decrypt (1 thread)",
        `${fmt(rawRefresh.perSecond)} op/s`,
        "100%",
        "",
        us(rawRefresh.cpuMicros),
      ],
      [
        `POST /refresh, ${clients} clients, 200s only`,
        `${fmt(refresh.perSecond)} req/s`,
        pct(refresh.perSecond / rawRefresh.perSecond),
        us(refresh.cpuMicros.attest),
        "",
      ],
      [
        "raw HS256 sign of an /attest token (1 thread)",
        `${fmt(rawHs256.perSecond)} op/s`,
        "100%",
        "",
        us(rawHs256.cpuMicros),
      ],
      [
        `sandbox POST /siteverify alone, ${clients} clients`,
        `${fmt(siteverifyAlone.perSecond)} req/s`,
        "",
        "",
        "",
      ],
      [
        "ideal /attest: 1 / (1/raw HS256 + 1/siteverify alone)",
        `${fmt(attestIdeal)} req/s`,
        "100%",
        "",
        "",
      ],
      [
        `POST /attest, publisher test key, siteverify on loopback, ${clients} clients`,
        `${fmt(attest.perSecond)} req/s`,
        pct(attest.perSecond / attestIdeal),
        us(attest.cpuMicros.attest),
        "",
      ],
      [
        "floor: GET /healthz (HTTP + Hono, no crypto, no body)",
        `${fmt(healthz.perSecond)} req/s`,
        "",
        us(healthz.cpuMicros.attest),
        "",
      ],
    ]);
    recordBenchRows("attest", [
      {
        measure: `POST /refresh vs its raw crypto (ES256 verify + HS256 sign + A256GCM decrypt)`,
        value: `${fmt(refresh.perSecond)} req/s`,
        ratio: pct(refresh.perSecond / rawRefresh.perSecond),
        goal: ">= 50%",
        met: refresh.perSecond / rawRefresh.perSecond >= 0.5,
      },
      {
        measure: "POST /attest vs raw HS256 sign + the sandbox's siteverify alone",
        value: `${fmt(attest.perSecond)} req/s`,
        ratio: pct(attest.perSecond / attestIdeal),
        goal: ">= 50%",
        met: attest.perSecond / attestIdeal >= 0.5,
      },
    ]);

    console.log("\nCPU view (per request, from /proc; independent of the machine's other load):");
    const crypto = rawRefresh.cpuMicros;
    const attestCpu = refresh.cpuMicros.attest;
    if (attestCpu !== undefined) {
      console.log(
        `  /refresh: attest ${us(attestCpu)} (${share(refresh, "attest")} in the kernel), of which ` +
          `the raw crypto is ${us(crypto)} (${pct(crypto / attestCpu)}); ` +
          `attest could serve ${fmt(1e6 / attestCpu)} req/s per core`,
      );
    }
    const signPer = refresh.counterDelta.signMicros / refresh.counterDelta.signed;
    console.log(
      `  /refresh client (this process): ${us(refresh.cpuMicros.client)} CPU per request, ` +
        `of which DPoP proof signing ${us(signPer)}`,
    );
    if (attest.cpuMicros.attest !== undefined) {
      console.log(
        `  /attest: attest ${us(attest.cpuMicros.attest)} (${share(attest, "attest")} in the kernel), ` +
          `sandbox ${us(attest.cpuMicros.sandbox)}, ` +
          `client ${us(attest.cpuMicros.client)}; raw HS256 sign ${us(rawHs256.cpuMicros)}`,
      );
    }

    console.log("\nbreakdown, each operation alone (1 thread):");
    for (const [name, r] of breakdown) {
      console.log(
        `  ${name.padEnd(52)} ${`${fmt(r.perSecond)} op/s`.padStart(14)}  ${us(r.cpuMicros)}`,
      );
    }
    console.log(`  (decrypted: ${decryptNote})`);
    failureNote("/refresh", refresh);
    failureNote("/attest", attest);
    failureNote("/healthz", healthz);
    console.log(`load average ${loadAverage() ?? "n/a"} at the end`);
  } finally {
    await services.cleanup();
  }
}

/** One checked /refresh answer: its token is the HS256 signing input of the raw loop. */
async function refreshTokenProbe(http, session, account) {
  const res = await session.send(http, "/refresh", refreshForm(account, session));
  if (res.status !== 200) throw new BenchSetupError(`/refresh answered HTTP ${res.status}`);
  const token = JSON.parse(res.text).tokens[API];
  checkApproovToken(token, account.secret, session.jkt);
  return token;
}

/** Two instances on Redis against one (bench/scale.mjs), after the services above stopped. */
async function scaleRun() {
  console.log(
    "\nscale: one attest instance, then two sharing Redis, /refresh from the same sessions...",
  );
  const { benchScale } = await import("./scale.mjs");
  const { one, two, ratio } = await benchScale({ clients, warmupMs, measureMs });
  const cpu = (result) =>
    Object.entries(result.cpuMicros)
      .map(([name, micros]) => `${name} ${us(micros)}`)
      .join(", ");
  printTable([
    ["", "rate", "ratio", "CPU per request"],
    ["POST /refresh, one instance (on Redis)", `${fmt(one.perSecond)} req/s`, "1.00x", cpu(one)],
    [
      "POST /refresh, two instances (on Redis)",
      `${fmt(two.perSecond)} req/s`,
      `${ratio.toFixed(2)}x`,
      cpu(two),
    ],
  ]);
  console.log(
    `  the load generator: ${us(one.cpuMicros.client)} / ${us(two.cpuMicros.client)} CPU per request ` +
      `(one / two instances), on the same ${availableParallelism()} cores`,
  );
  failureNote("scale, one instance", one);
  failureNote("scale, two instances", two);
  recordBenchRows("attest", [
    {
      measure: "POST /refresh, two instances on Redis vs one, load generator on the same cores",
      value: `${fmt(two.perSecond)} vs ${fmt(one.perSecond)} req/s`,
      ratio: `${ratio.toFixed(2)}x`,
      goal: ">= 1.6x",
      met: ratio >= 1.6,
    },
  ]);
}

try {
  await main();
  if (!args.profile) await scaleRun();
} catch (error) {
  console.error(`bench failed: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
}
