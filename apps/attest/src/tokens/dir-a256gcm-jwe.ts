import crypto, { type KeyObject } from "node:crypto";

/** `dir` + `A256GCM`: the key is the content key, so no key wrapping part. */
const ENCODED_HEADER = Buffer.from(JSON.stringify({ alg: "dir", enc: "A256GCM" })).toString(
  "base64url",
);
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * A compact JWE (RFC 7516) of `payload`, `dir` + `A256GCM`, as jose's EncryptJWT makes it
 * (the protected header's base64url is the AAD), with node:crypto synchronously.
 */
export function sealDirJwe(payload: object, key: KeyObject): string {
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(ENCODED_HEADER, "latin1"));
  const ciphertext = Buffer.concat([
    cipher.update(JSON.stringify(payload), "utf8"),
    cipher.final(),
  ]);
  return [
    ENCODED_HEADER,
    "",
    iv.toString("base64url"),
    ciphertext.toString("base64url"),
    cipher.getAuthTag().toString("base64url"),
  ].join(".");
}

/**
 * The JSON object sealed in `token` by sealDirJwe under `key`, or undefined when the token
 * is not one (another header, wrong sizes, a failed tag check, not a JSON object). Only
 * this service makes these tokens, so its exact header is required (jose's header for the
 * same algorithms is the same bytes).
 */
export function openDirJwe(token: string, key: KeyObject): Record<string, unknown> | undefined {
  const parts = token.split(".");
  if (parts.length !== 5 || parts[0] !== ENCODED_HEADER || parts[1] !== "") return undefined;
  const iv = Buffer.from(parts[2] as string, "base64url");
  const tag = Buffer.from(parts[4] as string, "base64url");
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return undefined;
  let plaintext: string;
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", key, iv, {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(ENCODED_HEADER, "latin1"));
    decipher.setAuthTag(tag);
    const ciphertext = Buffer.from(parts[3] as string, "base64url");
    plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
  try {
    const payload: unknown = JSON.parse(plaintext);
    return typeof payload === "object" && payload !== null && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
