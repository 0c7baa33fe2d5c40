// Node-side checks of what the SDK produced, with jose, as a backend would make them.
import {
  calculateJwkThumbprint,
  compactVerify,
  decodeProtectedHeader,
  importJWK,
  type JWK,
  type JWTPayload,
  jwtVerify,
} from "jose";

/**
 * The claims of a token that verifies with the account secret (HS256); throws otherwise.
 * `at` checks it as of another time (a short-lived token checked after the fact).
 */
export async function verifyApproovToken(
  token: string,
  secretKey: Uint8Array,
  at?: Date,
): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, secretKey, {
    algorithms: ["HS256"],
    ...(at ? { currentDate: at } : {}),
  });
  return payload;
}

export async function verifiesWithSecret(token: string, secretKey: Uint8Array): Promise<boolean> {
  try {
    await verifyApproovToken(token, secretKey);
    return true;
  } catch {
    return false;
  }
}

export interface CheckedProof {
  header: Record<string, unknown> & { jwk: JWK };
  claims: Record<string, unknown>;
  /** RFC 7638 SHA-256 thumbprint of the proof's key. */
  jkt: string;
}

/** Verifies a DPoP proof's ES256 signature with its own `jwk` header and returns its parts. */
export async function checkProofSignature(proof: string): Promise<CheckedProof> {
  const header = decodeProtectedHeader(proof) as CheckedProof["header"];
  const key = await importJWK(header.jwk, "ES256");
  const { payload } = await compactVerify(proof, key, { algorithms: ["ES256"] });
  return {
    header,
    claims: JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>,
    jkt: await calculateJwkThumbprint(header.jwk, "sha256"),
  };
}

export function sha256Base64url(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  return crypto.subtle
    .digest("SHA-256", bytes as Uint8Array<ArrayBuffer>)
    .then((hash) => Buffer.from(hash).toString("base64url"));
}
