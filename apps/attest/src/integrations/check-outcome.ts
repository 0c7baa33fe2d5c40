import type { CheckedResult } from "../sdk/session-expiry.js";
import type { Embeds } from "../tokens/token-embed.js";

/** An integration's verdict: passed, or failed with a reason for the decision log only. */
export type CheckDecision = { passed: true } | { passed: false; reason: string };

/** A completed check of one integration: the verdict, what tokens embed, how long it counts. */
export interface CheckOutcome {
  decision: CheckDecision;
  embeds: Embeds;
  result: CheckedResult;
}
