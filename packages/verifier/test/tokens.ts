import { createHmac, randomBytes } from "node:crypto";
import { EncryptJWT, SignJWT } from "jose";

export const SECRET = new Uint8Array(randomBytes(32));
export const OTHER_SECRET = new Uint8Array(randomBytes(32));

export const nowSeconds = () => Math.floor(Date.now() / 1000);

const b64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

/** A real HS256 token from jose, as the attest service issues them. */
export function signToken(
  claims: Record<string, unknown> = { exp: nowSeconds() + 300 },
  secret: Uint8Array = SECRET,
  header: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256", typ: "JWT", ...header })
    .sign(secret);
}

/** Built by hand so any header can be signed with HMAC-SHA256 (e.g. one that lies about alg). */
export function handSigned(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  secret: Uint8Array = SECRET,
): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = createHmac("sha256", secret).update(input).digest("base64url");
  return `${input}.${signature}`;
}

/** An unsecured JWT (alg none, empty signature). */
export function unsecured(claims: Record<string, unknown>): string {
  return `${b64url(JSON.stringify({ alg: "none", typ: "JWT" }))}.${b64url(JSON.stringify(claims))}.`;
}

/** The account encryption secret of JWE tokens: separate from the HS256 secret. */
export const ENCRYPTION_SECRET = new Uint8Array(randomBytes(32));
export const OTHER_ENCRYPTION_SECRET = new Uint8Array(randomBytes(32));

/** A JWE Approov token as an API registered with `-jwe` gets it: A256GCMKW + A256GCM. */
export function encryptToken(
  claims: Record<string, unknown> = { exp: nowSeconds() + 300 },
  secret: Uint8Array = ENCRYPTION_SECRET,
  header: Record<string, unknown> = {},
): Promise<string> {
  return new EncryptJWT(claims)
    .setProtectedHeader({ alg: "A256GCMKW", enc: "A256GCM", ...header })
    .encrypt(secret);
}
