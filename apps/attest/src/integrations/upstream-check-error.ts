import type { ErrorCode } from "@shapes/protocol";
import { ServiceError } from "../http/service-error.js";

/** An integration's token-check code (its descriptor's `codes.tokenCheck`). */
export type UpstreamCheckCode = ErrorCode;

/**
 * An integration's server-side check could not be completed (upstream unreachable,
 * slow, broken, or refusing our configuration). Answered as 502 with `code`, never
 * as a token: the operator has something to fix.
 */
export class UpstreamCheckError extends ServiceError {
  override name = "UpstreamCheckError";
  constructor(
    override readonly code: UpstreamCheckCode,
    readonly detail: string,
  ) {
    super(code, detail);
  }
}

/** Several checks of one request could not be completed: one 502 answer lists them all. */
export class UpstreamCheckErrors extends ServiceError {
  override name = "UpstreamCheckErrors";
  constructor(readonly failures: readonly UpstreamCheckError[]) {
    super("upstream-checks-failed", failures.map((failure) => failure.detail).join("; "));
  }
}
