import { BoundedMap } from "../bounded-map.js";
import { InputError } from "../input-error.js";
import { onlyFields } from "../json-body.js";
import { KEY_FORMAT, KEY_FORMAT_TEXT } from "../key-format.js";
import { DEFAULT_V3_SCORE } from "./recaptcha-keys.js";

/** Scores set through `POST /__sandbox/recaptcha/score`, by site key, bounded. */
export class ScoreControl {
  readonly #scores: BoundedMap<string, number>;

  constructor(maxSiteKeys = 10_000) {
    this.#scores = new BoundedMap(maxSiteKeys);
  }

  /** The score a new v3 token of `siteKey` gets. */
  scoreFor(siteKey: string): number {
    return this.#scores.get(siteKey) ?? DEFAULT_V3_SCORE;
  }

  /** `null` goes back to the default. */
  set(siteKey: string, score: number | null): void {
    if (score === null) this.#scores.delete(siteKey);
    else this.#scores.set(siteKey, score);
  }
}

/** Validates `{"siteKey": string, "score": number in [0, 1] | null}`. */
export function readScoreSetting(body: Record<string, unknown>): {
  siteKey: string;
  score: number | null;
} {
  onlyFields(body, ["siteKey", "score"]);
  const { siteKey, score } = body;
  if (typeof siteKey !== "string" || !KEY_FORMAT.test(siteKey)) {
    throw new InputError("invalid-site-key", `siteKey must be ${KEY_FORMAT_TEXT}`);
  }
  if (score !== null && (typeof score !== "number" || !(score >= 0 && score <= 1))) {
    throw new InputError("invalid-score", "score must be a number from 0.0 to 1.0, or null");
  }
  return { siteKey, score };
}
