// npm run bench (after npm run build): /v2/shapes req/s as a ratio to /v1/shapes.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

if (!existsSync(fileURLToPath(new URL("../dist/main.js", import.meta.url)))) {
  console.error("bench: dist/ is missing; run `npm run build` first");
  process.exit(1);
}
const { benchShapesApi } = await import("./http-bench.mjs");
console.log(
  "shapes-api bench: autocannon, 10 connections, 1 s warm-up, 4 alternating rounds of 2.5 s...",
);
const { v1, v2, ratio, spread, v1CpuMicros, v2CpuMicros } = await benchShapesApi();
const fmt = (n) => `${Math.round(n).toLocaleString("en-US")} req/s`;
console.log(`GET /v1/shapes (no check)     ${fmt(v1)}  100%`);
console.log(
  `GET /v2/shapes (token check)  ${fmt(v2)}  ${(ratio * 100).toFixed(0)}%  ${ratio >= 0.9 ? "goal >= 90%: met" : "goal >= 90%: MISSED"}`,
);
const pct = (n) => `${(n * 100).toFixed(0)}%`;
console.log(`per-round v2/v1 ratios ranged ${pct(spread[0])} to ${pct(spread[1])} (machine noise)`);
if (v1CpuMicros !== undefined && v2CpuMicros !== undefined) {
  console.log(
    `server user CPU per request: v1 ${v1CpuMicros.toFixed(1)} us, v2 ${v2CpuMicros.toFixed(1)} us (v1/v2 ${pct(v1CpuMicros / v2CpuMicros)})`,
  );
}
