import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { threadId } from "node:worker_threads";
import type { ApproovErrorBody, ErrorCode } from "@shapes/protocol";
import { expect } from "vitest";

/** The endpoint an error answer came from: the form flow, or the SDK's two. */
export type Flow = "attest" | "token" | "refresh";

/** One error answer a test asserted on: its flow and its codes. */
export interface RecordedCodes {
  flow: Flow;
  /** As answered: the error table test also refuses codes the protocol does not list. */
  codes: string[];
}

/**
 * Where this test run's records go: set by vitest.config.ts (one directory per run), read
 * by test/error-table.test.ts, which runs after every other test file.
 */
export function errorCodesDir(): string {
  const dir = process.env.ATTEST_ERROR_CODES_DIR;
  if (!dir)
    throw new Error("ATTEST_ERROR_CODES_DIR is not set: run the tests with vitest.config.ts");
  return dir;
}

/** Records the codes of an error answer body that a test checked. */
export function recordErrorCodes(flow: Flow, errors: ApproovErrorBody["errors"]): void {
  const codes = Object.keys(errors);
  if (codes.length === 0) return;
  const dir = errorCodesDir();
  mkdirSync(dir, { recursive: true });
  // One file per worker: appends of one process never interleave within a line.
  const file = join(dir, `${process.pid}-${threadId}.jsonl`);
  appendFileSync(file, `${JSON.stringify({ flow, codes } satisfies RecordedCodes)}\n`);
}

/**
 * Asserts an error answer: its status, JSON body `{message, errors}`, and exactly `codes`;
 * records them for the error table. Resolves the body for further checks.
 */
export async function expectErrorAnswer(
  res: Response,
  flow: Flow,
  status: number,
  codes: ErrorCode[],
): Promise<ApproovErrorBody> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  expect(res.headers.get("cache-control")).toBe("no-store");
  const body = (await res.json()) as ApproovErrorBody;
  expect(Object.keys(body.errors).sort()).toEqual([...codes].sort());
  recordErrorCodes(flow, body.errors);
  return body;
}
