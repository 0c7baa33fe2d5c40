import type { HonoRequest } from "hono";
import { VerifierError } from "./errors.js";
import { sha256Base64url } from "./sha256-base64url.js";

/** Largest body hashed for a DPoP `msgs` check by default. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** The request body is larger than the configured bound (answered 413). */
export class RequestBodyTooLargeError extends VerifierError {
  override name = "RequestBodyTooLargeError";
  declare readonly code: "body-too-large";

  constructor(readonly maxBytes: number) {
    super("body-too-large", `the request body is larger than ${maxBytes} bytes`);
  }
}

/** base64url(SHA-256(bytes)), no padding: the form of the seed's `msgs` message hash. */
export function messageHash(bytes: Uint8Array | string): string {
  return sha256Base64url(bytes);
}

/** The message hash of a request without a body (GET, HEAD, or an empty POST). */
export const EMPTY_MESSAGE_HASH = messageHash(new Uint8Array(0));

export async function readStream(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new RequestBodyTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks, size));
}

/**
 * Reads the whole body, at most `maxBytes` (a larger declared Content-Length is refused
 * before reading), and leaves the bytes in place so the handler can still read them
 * with c.req.json() / text() / arrayBuffer().
 */
export async function readBodyBounded(req: HonoRequest, maxBytes: number): Promise<Uint8Array> {
  if (Object.keys(req.bodyCache).length > 0) {
    // Something before us already read it; Hono converts from its cache.
    const bytes = new Uint8Array(await req.arrayBuffer());
    if (bytes.byteLength > maxBytes) throw new RequestBodyTooLargeError(maxBytes);
    return bytes;
  }
  const { raw } = req;
  if (!raw.body) return new Uint8Array(0);
  const declared = raw.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes)
    throw new RequestBodyTooLargeError(maxBytes);
  const bytes = await readStream(raw.body, maxBytes);
  // The stream is used up: hand the handler a request with the same bytes (as hono's
  // bodyLimit does).
  req.raw = new Request(raw, { body: bytes });
  return bytes;
}

/**
 * The default DPoP message hash: base64url SHA-256 of the request body bytes exactly as
 * received. Without a body (GET, HEAD) it is the hash of the empty string,
 * 47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU.
 */
export async function requestBodyHash(req: HonoRequest, maxBytes: number): Promise<string> {
  if (req.method === "GET" || req.method === "HEAD") return EMPTY_MESSAGE_HASH;
  return messageHash(await readBodyBounded(req, maxBytes));
}
