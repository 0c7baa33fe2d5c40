import type { ApproovTokenClaims } from "@shapes/protocol";
import { VerifierError } from "./errors.js";

/** Which channel issued a token: `did` marks mobile attestation, `embed` web protection. */
export type TokenChannel = "mobile" | "web" | "unknown";

/** What a route accepts: any valid token, or only one channel's. */
export type ChannelRequirement = "any" | "mobile" | "web";

export const CHANNEL_REQUIREMENTS: readonly ChannelRequirement[] = ["any", "mobile", "web"];

/**
 * The channel of a verified token (seed: "Enable Web Protection for an API"). A token with
 * both claims, or neither, is "unknown": it passes only routes that accept "any".
 */
export function tokenChannel(claims: ApproovTokenClaims): TokenChannel {
  const mobile = claims.did !== undefined;
  const web = claims.embed !== undefined;
  if (mobile === web) return "unknown";
  return mobile ? "mobile" : "web";
}

/** A valid token from a channel the route does not accept. */
export class TokenChannelError extends VerifierError {
  override name = "TokenChannelError";
  declare readonly code: "wrong-channel";

  constructor(readonly channel: TokenChannel) {
    super(
      "wrong-channel",
      `the Approov token comes from the ${channel} channel, which this route does not accept`,
    );
  }
}

/** Throws TokenChannelError unless the token's channel is the one required. */
export function checkTokenChannel(claims: ApproovTokenClaims, required: ChannelRequirement): void {
  if (required === "any") return;
  const channel = tokenChannel(claims);
  if (channel !== required) throw new TokenChannelError(channel);
}
