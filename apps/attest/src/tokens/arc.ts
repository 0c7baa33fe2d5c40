import { randomBytes } from "node:crypto";

/** RFC 4648 base32 alphabet: no 0/1/8/9, easy to read out from a log. */
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
export const ARC_LENGTH = 10;

/**
 * A new annotation results code: the reference an operator searches the decision
 * log for. 32 symbols divide 256, so `byte & 31` is unbiased.
 */
export function newArc(): string {
  const bytes = randomBytes(ARC_LENGTH);
  let arc = "";
  for (const byte of bytes) arc += ALPHABET[byte & 31];
  return arc;
}
