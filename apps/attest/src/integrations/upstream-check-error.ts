import type { ErrorCode } from "@shapes/protocol";

/** The code of each integration's server-side check. */
export type UpstreamCheckCode = Extract<
  ErrorCode,
  "hcap-token-check" | "recap-token-check" | "fp-tok-check"
>;

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
