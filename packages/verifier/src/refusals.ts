import type { DpopProofErrorCode } from "./dpop-errors.js";
import { ApproovConfigError } from "./errors.js";
import type { ChannelRequirement } from "./token-channel.js";
import type { ApproovTokenVerifier, ApproovTokenVerifierOptions } from "./verify-token.js";

/**
 * What every adapter answers, framework-free: the refusal bodies of the public Shapes
 * backends, the DPoP challenge, and the options of the token check.
 */

/**
 * Either a ready verifier (share one between routes: one key import, one cache) or the
 * options to build one; plus the channel the route accepts (default "any").
 */
export type ApproovTokenCheckOptions = (
  | { verify: ApproovTokenVerifier }
  | ApproovTokenVerifierOptions
) & { channel?: ChannelRequirement };

/** The JSON `status` messages of the public Shapes backends, plus the channel refusal. */
export const APPROOV_TOKEN_STATUS = {
  missing: "missing approov token",
  invalid: "invalid approov token",
  wrongChannel: "approov token not allowed here",
} as const;

/** The JSON `status` messages of the DPoP check. */
export const DPOP_PROOF_STATUS = {
  invalid: "invalid dpop proof",
  bodyTooLarge: "request body too large",
} as const;

/** The JSON `status` of a failed binding check, as the public Shapes backends answer. */
export const TOKEN_BINDING_STATUS = { invalid: "invalid approov bound token" } as const;

/** RFC 9449 7.1 challenge; the code is one of ours, never client text, so no quoting issue. */
export function dpopChallenge(code: DpopProofErrorCode, algorithms: readonly string[]): string {
  return `DPoP error="invalid_dpop_proof", error_description="${code}", algs="${algorithms.join(" ")}"`;
}

/** An http(s) origin with nothing after it (a trailing "/" is dropped). */
export function checkPublicOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ApproovConfigError("bad-option", "publicOrigin must be an absolute http(s) origin");
  }
  const bare = (url.pathname === "/" || url.pathname === "") && !url.search && !url.hash;
  if ((url.protocol !== "http:" && url.protocol !== "https:") || !bare || url.username) {
    throw new ApproovConfigError(
      "bad-option",
      "publicOrigin must be an http(s) origin without path, query or user",
    );
  }
  return url.origin;
}
