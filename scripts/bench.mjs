#!/usr/bin/env node
// `npm run bench`: runs every workspace's benchmark one after the other (they share the
// machine's two cores, so never in parallel), then prints one table of their headline
// figures. Ratios are measured within one run: absolute rates drift on a shared machine.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./services.mjs";

const dir = mkdtempSync(join(tmpdir(), "shapes-bench-"));
const results = join(dir, "results.jsonl");
console.log("bench: building, then running each workspace's benchmark (a few minutes)...");
try {
  execFileSync("npx", ["turbo", "run", "bench", "--concurrency=1", "--output-logs=full"], {
    cwd: repoRoot,
    stdio: "inherit",
    env: { ...process.env, BENCH_RESULTS: results },
  });
  const rows = readFileSync(results, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
  const table = [
    ["bench", "measure", "value", "ratio", "goal"],
    ...rows.map((r) => [
      r.bench,
      r.measure,
      r.value,
      r.ratio ?? "",
      r.goal ? `${r.goal} ${r.met === false ? "MISSED" : "ok"}` : "",
    ]),
  ];
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  const line = (row) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(" | ")} |`;
  console.log(`\nAll benchmarks, one run on this machine (${new Date().toISOString()}):\n`);
  console.log(line(table[0]));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of table.slice(1)) console.log(line(row));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
