import { RequestBodyTooLargeError } from "../request-body-hash.js";

/**
 * The whole body of a Node request stream, at most `maxBytes`: a larger declared
 * Content-Length is refused before reading, a larger stream as soon as it passes the limit.
 */
export async function readNodeBody(
  stream: AsyncIterable<Buffer | string>,
  headers: Record<string, string | string[] | undefined>,
  maxBytes: number,
): Promise<Uint8Array> {
  const declared = headers["content-length"];
  if (typeof declared === "string" && Number(declared) > maxBytes) {
    throw new RequestBodyTooLargeError(maxBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    size += bytes.byteLength;
    if (size > maxBytes) throw new RequestBodyTooLargeError(maxBytes);
    chunks.push(bytes);
  }
  return new Uint8Array(Buffer.concat(chunks, size));
}

/** Bytes some parser kept (`rawBody`), within the same limit. */
export function boundedBytes(bytes: Uint8Array, maxBytes: number): Uint8Array {
  if (bytes.byteLength > maxBytes) throw new RequestBodyTooLargeError(maxBytes);
  return bytes;
}

/** The first value of a Node header (arrays for repeated ones), or undefined. */
export function nodeHeader(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
