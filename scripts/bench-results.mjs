// How each workspace's benchmark hands its headline figures to `npm run bench` (root):
// one JSON line per row, appended to the file BENCH_RESULTS names. Alone, a bench only
// prints its own table.
import { appendFileSync } from "node:fs";

/**
 * @param {string} bench which benchmark, e.g. "attest"
 * @param {{measure: string, value: string, ratio?: string, goal?: string, met?: boolean}[]} rows
 */
export function recordBenchRows(bench, rows) {
  const file = process.env.BENCH_RESULTS;
  if (!file) return;
  appendFileSync(file, rows.map((row) => `${JSON.stringify({ bench, ...row })}\n`).join(""));
}
