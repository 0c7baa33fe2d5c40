import * as nodeCrypto from "node:crypto";

/**
 * base64url(SHA-256(data)), no padding; a string is hashed as UTF-8. The one-shot
 * crypto.hash (Node >= 20.12) costs about half of a Hash object, and this runs on hot paths
 * (the token cache key, DPoP thumbprints and replay keys); older Node falls back.
 */
export const sha256Base64url: (data: string | Uint8Array) => string =
  typeof nodeCrypto.hash === "function"
    ? (data) => nodeCrypto.hash("sha256", data, "base64url")
    : (data) => nodeCrypto.createHash("sha256").update(data).digest("base64url");
