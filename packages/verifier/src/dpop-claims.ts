import { DpopProofError } from "./dpop-errors.js";

/** The claims of a verified proof. `nonce` may be any JSON value (the web SDK allows objects). */
export interface DpopProofClaims {
  jti: string;
  htm: string;
  htu: string;
  iat: number;
  nonce?: unknown;
  ath?: string;
  msgs?: string;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value !== "";
}

/** Required claims present with their types, optional ones typed when present (RFC 9449 4.2). */
export function readProofClaims(payload: Record<string, unknown>): DpopProofClaims {
  const { jti, htm, htu, iat, nonce, ath, msgs } = payload;
  if (!isNonEmptyString(jti) || !isNonEmptyString(htm) || !isNonEmptyString(htu)) {
    throw new DpopProofError("missing-claim");
  }
  if (typeof iat !== "number" || !Number.isFinite(iat)) throw new DpopProofError("missing-claim");
  if (ath !== undefined && !isNonEmptyString(ath)) throw new DpopProofError("missing-claim");
  if (msgs !== undefined && !isNonEmptyString(msgs)) throw new DpopProofError("missing-claim");

  const claims: DpopProofClaims = { jti, htm, htu, iat };
  if (nonce !== undefined) claims.nonce = nonce;
  if (ath !== undefined) claims.ath = ath;
  if (msgs !== undefined) claims.msgs = msgs;
  return claims;
}
