/** Helpers that read the JSON parts of a compact JWS/JWE (Approov tokens, DPoP proofs). */

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** A JSON object: not null, not an array. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Decodes strict UTF-8 JSON bytes that must be an object; undefined for anything else. */
export function decodeJsonBytes(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(utf8.decode(bytes));
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Decodes a base64url JSON object; undefined for anything else. */
export function decodeJsonObject(part: string): Record<string, unknown> | undefined {
  return decodeJsonBytes(Buffer.from(part, "base64url"));
}
