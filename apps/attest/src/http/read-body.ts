import { AttestError } from "./attest-error.js";

export interface BodyLimits {
  maxBytes: number;
  timeoutMs: number;
}

const tooLarge = (maxBytes: number) =>
  AttestError.single(413, "rqst-body-too-large", `limit is ${maxBytes} bytes`);

const readFailed = (detail: string) => AttestError.single(400, "rqst-body-read-fail", detail);

/** A promise rejecting with rqst-body-read-fail after `timeoutMs`, and its cancel. */
function deadline(timeoutMs: number): { expired: Promise<never>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(readFailed(`body not received within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  return { expired, cancel: () => clearTimeout(timer) };
}

/**
 * Reads the whole request body within a size limit and a deadline. Refuses early
 * from Content-Length and again while streaming (chunked bodies have none); a
 * stalled or broken upload becomes rqst-body-read-fail instead of a hang.
 *
 * A body framed by a Content-Length within the limit (what browsers send) is read in one
 * call: @hono/node-server reads it straight from the socket, without the web stream the
 * chunked path needs (Node's parser never delivers more than the declared length).
 */
export async function readBody(request: Request, limits: BodyLimits): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limits.maxBytes) throw tooLarge(limits.maxBytes);
  // Before touching request.body: that getter builds the web stream this path avoids.
  if (declared !== null && /^\d+$/.test(declared)) return readDeclared(request, limits);
  if (request.body === null) return new Uint8Array(0);

  const reader = request.body.getReader();
  const { expired, cancel } = deadline(limits.timeoutMs);
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), expired]);
      if (done) break;
      total += value.byteLength;
      if (total > limits.maxBytes) throw tooLarge(limits.maxBytes);
      chunks.push(value);
    }
  } catch (error) {
    // Stop the upload; the socket is dealt with by the server after we answer.
    reader.cancel().catch(() => {});
    if (error instanceof AttestError) throw error;
    throw readFailed("the body stream failed");
  } finally {
    cancel();
  }
  reader.releaseLock();
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** A Content-Length body: one read under one deadline. */
async function readDeclared(request: Request, limits: BodyLimits): Promise<Uint8Array> {
  const { expired, cancel } = deadline(limits.timeoutMs);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await Promise.race([request.arrayBuffer(), expired]));
  } catch (error) {
    if (error instanceof AttestError) throw error;
    throw readFailed("the body stream failed");
  } finally {
    cancel();
  }
  // Only an in-process Request could carry more than it declares; the limit holds anyway.
  if (bytes.byteLength > limits.maxBytes) throw tooLarge(limits.maxBytes);
  return bytes;
}
