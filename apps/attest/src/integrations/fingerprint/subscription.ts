import { MAX_ELAPSED_TIME_SECONDS } from "@shapes/protocol";
import {
  fieldPath,
  fraction,
  object,
  oneOf,
  onlyKnown,
  positiveSeconds,
} from "../../account/field-checks.js";
import { ENTRY_DEFAULTS, ENTRY_FIELDS, parseEntryBase } from "../entry-fields.js";
import type { EntryBase } from "../integration.js";

export type FingerprintRegion = "RoW" | "EU";

/** One Fingerprint subscription, by public API key. */
export interface FingerprintSubscriptionConfig extends EntryBase {
  region: FingerprintRegion;
  /** Longest time between the browser's get() and the token request (may be fractional). */
  maxElapsedTimeSeconds: number;
  /** Highest accepted bot probability (0..1); 1 accepts every result. */
  maxBotProbability: number;
}

/** Defaults of the properties an admin PUT may omit. */
export const SUBSCRIPTION_DEFAULTS = {
  ...ENTRY_DEFAULTS,
  region: "RoW" as FingerprintRegion,
  maxElapsedTimeSeconds: 2,
  maxBotProbability: 1,
} as const;

/** One subscription's properties; `prefix` names it in messages ("" for an admin body). */
export function parseFingerprintSubscription(
  raw: unknown,
  prefix: string,
): FingerprintSubscriptionConfig {
  const at = (name: string) => fieldPath(prefix, name);
  const sub = object(raw, prefix || "the body");
  const d = SUBSCRIPTION_DEFAULTS;
  onlyKnown(sub, prefix, [...ENTRY_FIELDS, "region", "maxElapsedTimeSeconds", "maxBotProbability"]);
  const { secret, ...rest } = parseEntryBase(sub, prefix);
  return {
    secret,
    region: oneOf(sub.region, at("region"), ["RoW", "EU"], d.region),
    maxElapsedTimeSeconds: positiveSeconds(
      sub.maxElapsedTimeSeconds,
      at("maxElapsedTimeSeconds"),
      MAX_ELAPSED_TIME_SECONDS,
      d.maxElapsedTimeSeconds,
    ),
    maxBotProbability: fraction(
      sub.maxBotProbability,
      at("maxBotProbability"),
      d.maxBotProbability,
    ),
    ...rest,
  };
}
