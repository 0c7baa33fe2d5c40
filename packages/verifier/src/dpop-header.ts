import { DpopProofError } from "./dpop-errors.js";
import { decodeJsonObject } from "./json-part.js";

/** Longest proof read; a P-256 proof with a nonce and ath is well under 1 KiB. */
export const MAX_DPOP_PROOF_LENGTH = 8 * 1024;
/**
 * Exactly three base64url parts: a compact JWS, never a JWE or the JSON form. The signature
 * may be empty here so that `alg: none` is refused by name ("bad-alg"), not as "malformed".
 */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Checks the outer form of a proof and returns its protected header.
 * Throws "missing" for no proof, "malformed" for anything not a single compact JWS.
 */
export function readProofHeader(proof: unknown): Record<string, unknown> {
  if (proof === undefined || proof === null || proof === "") throw new DpopProofError("missing");
  if (typeof proof !== "string" || proof.length > MAX_DPOP_PROOF_LENGTH) {
    throw new DpopProofError("malformed");
  }
  if (!COMPACT_JWS.test(proof)) throw new DpopProofError("malformed");
  const header = decodeJsonObject(proof.slice(0, proof.indexOf(".")));
  if (!header) throw new DpopProofError("malformed");
  // No JWS extension is understood here (RFC 7515 4.1.11); this also rules out b64: false.
  if (header.crit !== undefined || header.b64 !== undefined) throw new DpopProofError("malformed");
  return header;
}

/** `typ` compared as a media type (RFC 7515 4.1.9): case-insensitive, "application/" optional. */
export function isDpopTyp(typ: unknown): boolean {
  if (typeof typ !== "string") return false;
  const lower = typ.toLowerCase();
  return (lower.startsWith("application/") ? lower.slice(12) : lower) === "dpop+jwt";
}
