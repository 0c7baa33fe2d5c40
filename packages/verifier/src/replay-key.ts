import { createHash } from "node:crypto";

/**
 * The replay store key of a proof: a hash of its normalised htu and jti (RFC 9449 11.1
 * allows remembering a hash). Fixed length, so a store's memory bound does not depend on
 * how long an attacker makes the jti. The newline cannot occur in a normalised htu.
 */
export function dpopReplayKey(normalizedHtu: string, jti: string): string {
  return createHash("sha256").update(`${normalizedHtu}\n${jti}`, "utf8").digest("base64url");
}
