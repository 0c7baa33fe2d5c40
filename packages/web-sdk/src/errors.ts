/**
 * The SDK's errors, as the seed's "Troubleshooting Web Protection Errors" names them.
 * Each class sets `name` from a string literal (not `constructor.name`) so the names
 * survive minification, and `code` is a stable string for programs that switch on it.
 */

/** Base of every error the SDK throws (bad arguments throw it directly). */
export class ApproovError extends Error {
  override name = "ApproovError";
  readonly code: string = "approov-error";
}

/**
 * The session has not been initialised, has expired, or cannot fetch a token
 * without a fresh web protection result: call `initializeSession({})` and fetch
 * again with a new result.
 */
export class ApproovSessionError extends ApproovError {
  override name = "ApproovSessionError";
  override readonly code: string = "approov-session";
}

/** The request to the Approov service failed (network, CORS, timeout); `errors` is the cause. */
export class ApproovFetchError extends ApproovError {
  override name = "ApproovFetchError";
  override readonly code: string = "approov-fetch";
  readonly errors: unknown;

  constructor(message: string, errors: unknown) {
    super(message);
    this.errors = errors;
  }
}

/** The Approov service answered an error: `errors` is its `{code: detail}` object. */
export class ApproovServiceError extends ApproovError {
  override name = "ApproovServiceError";
  override readonly code: string = "approov-service";
  readonly status: number;
  readonly errors: Record<string, string>;

  constructor(message: string, status: number, errors: Record<string, string>) {
    super(message);
    this.status = status;
    this.errors = errors;
  }
}
