/** Fingerprint Server API error codes the sandbox answers with. */
export type FingerprintErrorCode =
  | "RequestCannotBeParsed"
  | "TokenNotFound"
  | "RequestNotFound"
  | "TooManyRequests";

/** A Server API error: `status` with `{"error": {"code", "message"}}`. */
export class FingerprintApiError extends Error {
  override name = "FingerprintApiError";
  constructor(
    readonly status: 400 | 403 | 404 | 429,
    readonly code: FingerprintErrorCode,
    message: string,
    /** Seconds, for 429. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}
