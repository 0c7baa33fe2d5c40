/** Base64url (RFC 4648 section 5, no padding) with only what every browser has. */

const utf8 = new TextEncoder();

export function bytesToBase64url(bytes: Uint8Array): string {
  let binary = "";
  // Chunked so a large buffer does not overflow the argument list.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function textToBase64url(text: string): string {
  return bytesToBase64url(utf8.encode(text));
}

export function jsonToBase64url(value: unknown): string {
  return textToBase64url(JSON.stringify(value));
}

/** Decodes base64url to text; throws on malformed input. */
export function base64urlToText(encoded: string): string {
  const base64 = encoded.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "===".slice((base64.length + 3) % 4));
  return new TextDecoder("utf-8", { fatal: true }).decode(
    Uint8Array.from(binary, (c) => c.charCodeAt(0)),
  );
}

export function utf8Bytes(text: string): Uint8Array<ArrayBuffer> {
  return utf8.encode(text) as Uint8Array<ArrayBuffer>;
}
