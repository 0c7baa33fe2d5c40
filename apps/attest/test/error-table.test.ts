import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ALL_ERROR_CODES, type ErrorCode } from "@shapes/protocol";
import { describe, expect, it } from "vitest";
import { errorCodesDir, type Flow, type RecordedCodes } from "./helpers/error-codes.js";

/**
 * The seed's error table, checked against this run's tests: every code of
 * `@shapes/protocol` must have come back in an HTTP answer that a test asserted on
 * (test/helpers/error-codes.ts records them), in every flow where the code applies.
 * vitest.config.ts runs this file after all the others.
 */

/** The flows each code can be produced in; the rest apply to `/attest` and `/token`. */
const FLOWS: Partial<Record<ErrorCode, Flow[]>> = {
  // The SDK endpoints refuse any query string (rqst-illegal-params) before comparing it.
  "rqst-params-in-body-and-path": ["attest"],
  "aprv-invalid-nonce": ["token", "refresh"],
  "aprv-invalid-dpop-token": ["token", "refresh"],
  "aprv-invalid-refresh-token": ["refresh"],
};
const DEFAULT_FLOWS: Flow[] = ["attest", "token"];

function readRecords(): RecordedCodes[] {
  const dir = errorCodesDir();
  let files: string[];
  try {
    files = readdirSync(dir).filter((name) => name.endsWith(".jsonl"));
  } catch {
    files = [];
  }
  return files.flatMap((name) =>
    readFileSync(join(dir, name), "utf8")
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as RecordedCodes),
  );
}

// vitest.config.ts removes the directory when the run ends.
const records = readRecords();

describe("the error table (packages/protocol ERROR_CODES)", () => {
  it("has records: the other test files ran first in this run", () => {
    expect(records.length, "no error answer recorded: run the whole suite").toBeGreaterThan(0);
  });

  it("every code was produced over HTTP in every flow where it applies", () => {
    const seen = new Map<string, Set<Flow>>();
    for (const { flow, codes } of records) {
      for (const code of codes) seen.set(code, (seen.get(code) ?? new Set()).add(flow));
    }
    const missing = ALL_ERROR_CODES.flatMap((code) =>
      (FLOWS[code] ?? DEFAULT_FLOWS)
        .filter((flow) => !seen.get(code)?.has(flow))
        .map((flow) => `${code} (${flow})`),
    );
    expect(missing, `codes no test produced: ${missing.join(", ")}`).toEqual([]);
  });

  it("no answer carried a code the table does not list", () => {
    const known = new Set<string>(ALL_ERROR_CODES);
    const unknown = [...new Set(records.flatMap((r) => r.codes))].filter((c) => !known.has(c));
    expect(unknown).toEqual([]);
  });
});
