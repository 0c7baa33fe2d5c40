import { randomBytes } from "node:crypto";
import { SignJWT } from "jose";

export const SECRET_BASE64 = randomBytes(32).toString("base64");
export const SECRET = new Uint8Array(Buffer.from(SECRET_BASE64, "base64"));
export const WEB_ORIGIN = "http://localhost:8000";

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A token as the attest service issues it: HS256 over the shared secret. */
export function signToken(
  claims: Record<string, unknown> = { exp: nowSeconds() + 300 },
  secret: Uint8Array = SECRET,
): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(secret);
}
