import { createHmac, randomBytes, type webcrypto } from "node:crypto";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";

export const REQUEST_URL = "https://attest.example.com/token";
/** A fixed clock (ms) so iat windows are exact. */
export const NOW_MS = 1_750_000_000_000;
export const NOW_S = NOW_MS / 1000;
export const now = () => NOW_MS;

export const b64url = (value: string | Uint8Array) => Buffer.from(value).toString("base64url");

export interface ProofKey {
  privateKey: webcrypto.CryptoKey;
  jwk: JWK;
  privateJwk: JWK;
  alg: string;
}

export async function makeKey(alg = "ES256"): Promise<ProofKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return {
    privateKey,
    jwk: await exportJWK(publicKey),
    privateJwk: await exportJWK(privateKey),
    alg,
  };
}

export function proofClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { jti: b64url(randomBytes(16)), htm: "POST", htu: REQUEST_URL, iat: NOW_S, ...overrides };
}

/** A real proof signed by jose, as the web SDK makes them; `header` overrides any member. */
export function signProof(
  key: ProofKey,
  claims: Record<string, unknown> = proofClaims(),
  header: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ typ: "dpop+jwt", alg: key.alg, jwk: key.jwk, ...header })
    .sign(key.privateKey);
}

/** Header and payload built by hand, HMAC-signed with `secret` (for HS* and alg none forgeries). */
export function handBuilt(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  secret?: Uint8Array,
): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = secret ? createHmac("sha256", secret).update(input).digest("base64url") : "";
  return `${input}.${signature}`;
}

export function swapPart(token: string, index: number, part: string): string {
  const parts = token.split(".");
  parts[index] = part;
  return parts.join(".");
}

/** Any header and raw payload text, really ES256-signed: for headers jose will not sign. */
export async function signRawEs256(
  key: ProofKey,
  header: Record<string, unknown>,
  payload: string | Uint8Array,
): Promise<string> {
  const input = `${b64url(JSON.stringify(header))}.${b64url(payload)}`;
  const signature = await crypto.subtle.sign(
    { name: "ECDSA", hash: "SHA-256" },
    key.privateKey,
    new TextEncoder().encode(input),
  );
  return `${input}.${b64url(new Uint8Array(signature))}`;
}
