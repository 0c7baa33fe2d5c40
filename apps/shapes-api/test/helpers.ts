import { createHash, randomBytes } from "node:crypto";
import { EncryptJWT, exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";

export const SECRET_BASE64 = randomBytes(32).toString("base64");
export const SECRET = new Uint8Array(Buffer.from(SECRET_BASE64, "base64"));
export const ENCRYPTION_SECRET_BASE64 = randomBytes(32).toString("base64");
export const ENCRYPTION_SECRET = new Uint8Array(Buffer.from(ENCRYPTION_SECRET_BASE64, "base64"));
export const WEB_ORIGIN = "http://localhost:8000";

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A token as the attest service issues it: HS256 over the shared secret. */
export function signToken(
  claims: Record<string, unknown> = { exp: nowSeconds() + 300 },
  secret: Uint8Array = SECRET,
): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(secret);
}

/** A JWE token, as an API registered with -jwe receives it. */
export function encryptToken(
  claims: Record<string, unknown> = { exp: nowSeconds() + 300 },
  secret: Uint8Array = ENCRYPTION_SECRET,
): Promise<string> {
  return new EncryptJWT(claims)
    .setProtectedHeader({ alg: "A256GCMKW", enc: "A256GCM" })
    .encrypt(secret);
}

/** An SDK session key: what the web SDK generates and attest binds tokens to (cnf.jkt). */
export async function sessionKey() {
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  return { privateKey, jwk: (await exportJWK(publicKey)) as JWK };
}

/** A DPoP proof as the SDK's getDPoPToken makes it. */
export function dpopProof(
  key: Awaited<ReturnType<typeof sessionKey>>,
  claims: Record<string, unknown>,
): Promise<string> {
  return new SignJWT({
    jti: randomBytes(16).toString("base64url"),
    iat: nowSeconds(),
    nonce: randomBytes(16).toString("base64url"),
    ...claims,
  })
    .setProtectedHeader({ typ: "dpop+jwt", alg: "ES256", jwk: key.jwk })
    .sign(key.privateKey);
}

/** base64url(SHA-256(text)): the DPoP `ath` of a token. */
export function sha256url(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("base64url");
}

/** base64(SHA-256(text)): the `pay` claim binding a token to `text`. */
export function payFor(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("base64");
}
