import { bytesToBase64url, utf8Bytes } from "./base64url.js";
import { binaryBytes } from "./binary-input.js";

/**
 * base64url(SHA-256(payload)): the token binding value sent as `payload`. Only the
 * hash leaves the browser (the seed: no PII reaches the service). Strings are UTF-8.
 */
export async function payloadHash(payload: unknown): Promise<string> {
  const bytes =
    typeof payload === "string"
      ? utf8Bytes(payload)
      : binaryBytes(payload, "fetchToken: payload must be a string or a Uint8Array");
  return bytesToBase64url(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
}
