import type { ErrorCode } from "@shapes/protocol";

/** An integration's token-check code (its descriptor's `codes.tokenCheck`). */
export type UpstreamCheckCode = ErrorCode;

/**
 * An integration's server-side check could not be completed (upstream unreachable,
 * slow, broken, or refusing our configuration). Answered as 502 with `code`, never
 * as a token: the operator has something to fix.
 */
export class UpstreamCheckError extends Error {
  override name = "UpstreamCheckError";
  constructor(
    readonly code: UpstreamCheckCode,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** Several checks of one request could not be completed: one 502 answer lists them all. */
export class UpstreamCheckErrors extends Error {
  override name = "UpstreamCheckErrors";
  constructor(readonly failures: readonly UpstreamCheckError[]) {
    super(failures.map((failure) => failure.detail).join("; "));
  }
}
