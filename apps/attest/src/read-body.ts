import { AttestError } from "./attest-error.js";

export interface BodyLimits {
  maxBytes: number;
  timeoutMs: number;
}

const tooLarge = (maxBytes: number) =>
  AttestError.single(413, "rqst-body-too-large", `limit is ${maxBytes} bytes`);

/**
 * Reads the whole request body within a size limit and a deadline. Refuses early
 * from Content-Length and again while streaming (chunked bodies have none); a
 * stalled or broken upload becomes rqst-body-read-fail instead of a hang.
 */
export async function readBody(request: Request, limits: BodyLimits): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limits.maxBytes) throw tooLarge(limits.maxBytes);
  const body = request.body;
  if (body === null) return new Uint8Array(0);

  const reader = body.getReader();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          AttestError.single(
            400,
            "rqst-body-read-fail",
            `body not received within ${limits.timeoutMs} ms`,
          ),
        ),
      limits.timeoutMs,
    );
  });
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), deadline]);
      if (done) break;
      total += value.byteLength;
      if (total > limits.maxBytes) throw tooLarge(limits.maxBytes);
      chunks.push(value);
    }
  } catch (error) {
    // Stop the upload; the socket is dealt with by the server after we answer.
    reader.cancel().catch(() => {});
    if (error instanceof AttestError) throw error;
    throw AttestError.single(400, "rqst-body-read-fail", "the body stream failed");
  } finally {
    clearTimeout(timer);
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
