import { ApproovTokenError } from "./errors.js";
import { decodeJsonObject } from "./json-part.js";

/** The two compact forms of an Approov token. */
export type TokenForm = "jws" | "jwe";

export interface TokenHeader {
  form: TokenForm;
  alg: unknown;
  enc: unknown;
  kid: string | undefined;
  /** No `crit` or `b64` member: nothing beyond alg/typ/kid that changes the check. */
  plain: boolean;
}

function partCount(token: string): number {
  let count = 1;
  for (let index = token.indexOf("."); index !== -1; index = token.indexOf(".", index + 1)) {
    count += 1;
  }
  return count;
}

/**
 * Reads the protected header: 3 parts is a JWS (HS256), 5 parts a JWE (A256GCMKW). Only
 * what picks the check is read here (form, alg, enc, kid); jose verifies everything else.
 */
export function readTokenHeader(token: string): TokenHeader {
  const parts = partCount(token);
  if (parts !== 3 && parts !== 5) throw new ApproovTokenError("malformed");
  const header = decodeJsonObject(token.slice(0, token.indexOf(".")));
  if (!header) throw new ApproovTokenError("malformed");
  const { alg, enc, kid } = header;
  if (kid !== undefined && typeof kid !== "string") throw new ApproovTokenError("malformed");
  const plain = !("crit" in header) && !("b64" in header);
  return { form: parts === 3 ? "jws" : "jwe", alg, enc, kid, plain };
}
