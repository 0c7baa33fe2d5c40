import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Compares two strings without leaking, through timing, how much of them matches.
 * Hashing first gives equal-length inputs, as timingSafeEqual requires.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const digestA = createHash("sha256").update(a, "utf8").digest();
  const digestB = createHash("sha256").update(b, "utf8").digest();
  return timingSafeEqual(digestA, digestB);
}
