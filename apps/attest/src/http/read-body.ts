import { readBounded } from "./read-bounded.js";
import { ServiceError } from "./service-error.js";

/**
 * The body could not be had: larger than the limit, or not received (broken, stalled).
 * Neutral: each app turns it into its own answer (the decision endpoints' rqst-* codes,
 * the admin API's 413/400).
 */
export class BodyReadError extends ServiceError {
  override name = "BodyReadError";
  constructor(
    override readonly code: "body-too-large" | "body-read-failed",
    message: string,
  ) {
    super(code, message);
  }
}

export interface BodyLimits {
  maxBytes: number;
  timeoutMs: number;
}

const tooLarge = (maxBytes: number) =>
  new BodyReadError("body-too-large", `limit is ${maxBytes} bytes`);

const readFailed = (detail: string) => new BodyReadError("body-read-failed", detail);

/** A promise rejecting with body-read-failed after `timeoutMs`, and its cancel. */
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
 * stalled or broken upload becomes body-read-failed instead of a hang.
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

  const { expired, cancel } = deadline(limits.timeoutMs);
  try {
    return await readBounded(
      request.body,
      limits.maxBytes,
      () => tooLarge(limits.maxBytes),
      expired,
    );
  } catch (error) {
    // The stream is cancelled; the socket is dealt with by the server after we answer.
    if (error instanceof BodyReadError) throw error;
    throw readFailed("the body stream failed");
  } finally {
    cancel();
  }
}

/** A Content-Length body: one read under one deadline. */
async function readDeclared(request: Request, limits: BodyLimits): Promise<Uint8Array> {
  const { expired, cancel } = deadline(limits.timeoutMs);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await Promise.race([request.arrayBuffer(), expired]));
  } catch (error) {
    if (error instanceof BodyReadError) throw error;
    throw readFailed("the body stream failed");
  } finally {
    cancel();
  }
  // Only an in-process Request could carry more than it declares; the limit holds anyway.
  if (bytes.byteLength > limits.maxBytes) throw tooLarge(limits.maxBytes);
  return bytes;
}
