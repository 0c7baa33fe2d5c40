import type { ErrorCode } from "@shapes/protocol";

/**
 * An integration's server-side check could not be completed (upstream unreachable,
 * slow, broken, or refusing our configuration). Answered as 502 with `code`, never
 * as a token: the operator has something to fix.
 */
export class UpstreamCheckError extends Error {
  override name = "UpstreamCheckError";
  constructor(
    readonly code: Extract<ErrorCode, "hcap-token-check" | "recap-token-check" | "fp-tok-check">,
    readonly detail: string,
  ) {
    super(detail);
  }
}
