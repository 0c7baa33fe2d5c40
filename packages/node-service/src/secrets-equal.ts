import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Compares two secrets (keys, bearer tokens, MACs) without leaking, through timing, how
 * much of them matches, nor the expected one's length: both are hashed first, which also
 * gives timingSafeEqual the equal lengths it requires.
 */
export function secretsEqual(a: string, b: string): boolean {
  const digestA = createHash("sha256").update(a, "utf8").digest();
  const digestB = createHash("sha256").update(b, "utf8").digest();
  return timingSafeEqual(digestA, digestB);
}
