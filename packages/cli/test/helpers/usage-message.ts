import { expect } from "vitest";
import { UsageError } from "../../src/errors.js";

/** The UsageError message `fn` throws (fails the test when it throws nothing or else). */
export function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error("expected a UsageError");
}
