import { BoundedMap } from "../bounded-map.js";
import { InputError } from "../input-error.js";
import { onlyFields } from "../json-body.js";
import { VISITOR_ID_FORMAT } from "./visitor-id.js";

/** Fingerprint's bot detection result (`products.botd.data.bot.result`). */
export type BotResult = "notDetected" | "good" | "bad";

const BOT_RESULTS: readonly BotResult[] = ["notDetected", "good", "bad"];

/** The older API's `botProbability` for each result. */
export const BOT_PROBABILITY: Record<BotResult, number> = { notDetected: 0, good: 0, bad: 1 };

/** Bot results set through `POST /__sandbox/fingerprint/bot`, by visitor id, bounded. */
export class BotControl {
  readonly #results: BoundedMap<string, BotResult>;

  constructor(maxVisitors = 10_000) {
    this.#results = new BoundedMap(maxVisitors);
  }

  resultFor(visitorId: string): BotResult {
    return this.#results.get(visitorId) ?? "notDetected";
  }

  set(visitorId: string, result: BotResult): void {
    // The default needs no entry.
    if (result === "notDetected") this.#results.delete(visitorId);
    else this.#results.set(visitorId, result);
  }
}

/** Validates `{"visitorId": 20 x [A-Za-z0-9], "result": "notDetected"|"good"|"bad"}`. */
export function readBotSetting(body: Record<string, unknown>): {
  visitorId: string;
  result: BotResult;
} {
  onlyFields(body, ["visitorId", "result"]);
  const { visitorId, result } = body;
  if (typeof visitorId !== "string" || !VISITOR_ID_FORMAT.test(visitorId)) {
    throw new InputError("invalid-visitor-id", "visitorId must be 20 characters of [A-Za-z0-9]");
  }
  const known = BOT_RESULTS.find((name) => name === result);
  if (known === undefined) {
    throw new InputError("invalid-result", 'result must be "notDetected", "good" or "bad"');
  }
  return { visitorId, result: known };
}
