/**
 * A bad request to one of the sandbox's own endpoints (token issue, identify, control
 * routes): answered with `status` and `{"error": code, "message": message}`.
 */
export class InputError extends Error {
  override name = "InputError";
  constructor(
    readonly code: string,
    message: string,
    readonly status: 400 | 403 | 413 = 400,
  ) {
    super(message);
  }
}
