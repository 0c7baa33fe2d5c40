// Benchmark of approov.js (not a test): the cost of a cached fetchToken in Chromium and
// the size of dist/approov.js. Run after a build: `npm run bench -w @shapes/web-sdk`.
//
// A stub service on the page's own origin answers the one /token the session needs, so
// only the SDK is measured (attest is not involved in a cache hit anyway). The page is
// cross-origin isolated so that performance.now() has its fine (5 µs) resolution.

import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { serve } from "@hono/node-server";
import { chromium } from "@playwright/test";
import { Hono } from "hono";
import { SignJWT } from "jose";
import { recordBenchRows } from "../../../scripts/bench-results.mjs";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const sdkFile = join(packageDir, "dist/approov.js");
if (!existsSync(sdkFile)) {
  console.error("dist/approov.js is missing: run `npm run build` first");
  process.exit(1);
}
const sdk = readFileSync(sdkFile);

const BATCHES = 40;
const CALLS_PER_BATCH = 500;
const GOAL_CACHED_US = 50;
const GOAL_GZIP_BYTES = 6 * 1024;

const ISOLATED = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cache-Control": "no-store",
};

const key = new TextEncoder().encode("bench-secret-bench-secret-bench!");
const app = new Hono();
app.get("/", (c) => c.html("<!doctype html><title>approov.js bench</title>", 200, ISOLATED));
app.get("/approov.js", (c) =>
  c.body(sdk, 200, { ...ISOLATED, "Content-Type": "text/javascript; charset=utf-8" }),
);
// /token and /refresh: a token valid 120 s (the default lifetime) for the requested api.
async function tokenAnswer(c, withRefreshToken) {
  const form = await c.req.formData();
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ exp: now + 120, iat: now, ip: "127.0.0.1", arc: "BENCH00000" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(key);
  const body = {
    tokens: { [String(form.get("api"))]: token },
    expiries: { session: Date.now() + 3600_000 },
  };
  if (withRefreshToken) body.refreshToken = "bench-refresh-token";
  return c.json(body, 200, { "DPoP-Nonce": "bench-nonce" });
}
app.post("/token", (c) => tokenAnswer(c, true));
app.post("/refresh", (c) => tokenAnswer(c, false));

const server = await new Promise((resolve) => {
  const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) =>
    resolve({ s, origin: `http://127.0.0.1:${info.port}` }),
  );
});

const systemChromium = "/usr/bin/chromium";
const executablePath =
  process.env.CHROMIUM_PATH || (existsSync(systemChromium) ? systemChromium : undefined);
const browser = await chromium.launch({
  executablePath,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});

try {
  const page = await browser.newPage();
  await page.goto(`${server.origin}/`);
  const result = await page.evaluate(
    async ({ origin, batches, calls }) => {
      const path = "/approov.js";
      const { Approov } = await import(path);
      await Approov.initializeSession({
        approovHost: origin,
        approovSiteKey: "bench-site-key",
        hcaptchaSiteKey: "bench-hcaptcha-site-key",
      });
      await Approov.fetchToken("bench.example", { hcaptchaToken: "bench-hcaptcha-token" });
      const payload = new TextEncoder().encode("Bearer bench-user-token");
      await Approov.fetchToken("bench.example", { payload });

      // Per-call µs of `calls` sequential awaited calls, once per batch.
      async function measure(call) {
        for (let i = 0; i < calls; i++) await call(); // warm-up
        const perCall = [];
        for (let b = 0; b < batches; b++) {
          const start = performance.now();
          for (let i = 0; i < calls; i++) await call();
          perCall.push(((performance.now() - start) * 1000) / calls);
        }
        return perCall.sort((x, y) => x - y);
      }
      const noop = async () => "token";
      return {
        isolated: crossOriginIsolated,
        baseline: await measure(() => noop()),
        cached: await measure(() => Approov.fetchToken("bench.example")),
        cachedPayload: await measure(() => Approov.fetchToken("bench.example", { payload })),
        proof: await measure(() => Approov.getDPoPToken("GET", "https://bench.example/x")),
      };
    },
    { origin: server.origin, batches: BATCHES, calls: CALLS_PER_BATCH },
  );

  const median = (sorted) => sorted[Math.floor(sorted.length / 2)];
  const p90 = (sorted) => sorted[Math.floor(sorted.length * 0.9)];
  const cached = median(result.cached);
  const gzip = gzipSync(sdk, { level: 9 }).length;
  const brotli = brotliCompressSync(sdk).length;
  const us = (value) => `${value.toFixed(2)} µs`;
  const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB (${bytes} B)`;
  const rows = [
    ["async no-op call (baseline)", us(median(result.baseline)), us(p90(result.baseline)), ""],
    [
      "cached fetchToken(api)",
      us(cached),
      us(p90(result.cached)),
      `< ${GOAL_CACHED_US} µs ${cached < GOAL_CACHED_US ? "ok" : "MISSED"}`,
    ],
    [
      "cached fetchToken(api, {payload}) (hashes the payload)",
      us(median(result.cachedPayload)),
      us(p90(result.cachedPayload)),
      "",
    ],
    ["getDPoPToken (ES256 signature)", us(median(result.proof)), us(p90(result.proof)), ""],
    [
      "cached fetchToken / async no-op",
      `${(cached / median(result.baseline)).toFixed(1)}x`,
      "",
      "",
    ],
    ["getDPoPToken / cached fetchToken", `${(median(result.proof) / cached).toFixed(0)}x`, "", ""],
    ["dist/approov.js (minified)", kb(sdk.length), "", ""],
    [
      "dist/approov.js gzipped (level 9)",
      kb(gzip),
      "",
      `< 6 KB ${gzip < GOAL_GZIP_BYTES ? "ok" : "MISSED"}`,
    ],
    ["dist/approov.js brotli", kb(brotli), "", ""],
  ];
  const header = ["measure", "median", "p90", "goal"];
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i].length)));
  const line = (row) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(" | ")} |`;
  console.log(
    `approov.js bench: ${BATCHES} batches x ${CALLS_PER_BATCH} sequential calls in Chromium` +
      ` (cross-origin isolated: ${result.isolated}); one run, one machine`,
  );
  console.log(line(header));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of rows) console.log(line(row));
  recordBenchRows("approov.js", [
    {
      measure: "cached fetchToken in Chromium (median)",
      value: us(cached),
      goal: `< ${GOAL_CACHED_US} µs`,
      met: cached < GOAL_CACHED_US,
    },
    {
      measure: "dist/approov.js minified + gzipped",
      value: kb(gzip),
      goal: "< 6 KB",
      met: gzip < GOAL_GZIP_BYTES,
    },
  ]);
} finally {
  await browser.close();
  server.s.close();
}
