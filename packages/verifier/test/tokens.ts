import { createHmac, randomBytes } from "node:crypto";
import { SignJWT } from "jose";

export const SECRET = new Uint8Array(randomBytes(32));
export const OTHER_SECRET = new Uint8Array(randomBytes(32));

export const nowSeconds = () => Math.floor(Date.now() / 1000);

const b64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

/** A real HS256 token from jose, as the attest service issues them. */
export function signToken(
  claims: Record<string, unknown> = { exp: nowSeconds() + 300 },
  secret: Uint8Array = SECRET,
): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(secret);
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
