import type { Integration, ServiceEndpoint } from "@shapes/protocol";
import type { IntegrationLabel } from "../metric-labels.js";
import type { UpstreamResult } from "../metrics.js";

/**
 * One bucket's counts as flat fields (a Redis hash, an object in the file): each a
 * dimension letter and bounded label values joined by "|". Label values come from fixed
 * sets or the account's registered API domains (as the Prometheus labels), so the number
 * of fields per bucket is bounded whatever the traffic.
 *
 * - `o|<outcome>`                        decisions by outcome (valid, invalid, error)
 * - `e|<endpoint>|<outcome>`             by endpoint
 * - `i|<integration>|<outcome>`          by integration ("combined", "none" too)
 * - `a|<api>|<outcome>`                  by API (one per API of a request)
 * - `c|<code>`                           error answers by code
 * - `l`                                  decisions refused by a rate limit
 * - `r|<integration>`                    rate-limit refusals by integration
 * - `u|<integration>|<bucket index>`     upstream latency histogram (not cumulative)
 * - `v|<integration>|<result>`           upstream checks by result (passed, failed, error)
 */
export type FieldCounts = Map<string, number>;

export type Outcome = "valid" | "invalid" | "error";

/** A decision with its labels already bounded (metric-labels.ts). */
export interface ActivityDecision {
  endpoint: ServiceEndpoint;
  outcome: Outcome;
  /** Code labels (known codes or "other"); empty unless outcome is error. */
  codes: readonly string[];
  integration: IntegrationLabel;
  apis: readonly string[];
  /** Refused by a rate limit (429). */
  rateLimited: boolean;
  /** The integrations whose rate limit refused it. */
  refusedBy: readonly Integration[];
}

export const SEPARATOR = "|";
const field = (...parts: string[]) => parts.join(SEPARATOR);

export function decisionFields(decision: ActivityDecision): string[] {
  const { outcome } = decision;
  const fields = [
    field("o", outcome),
    field("e", decision.endpoint, outcome),
    field("i", decision.integration, outcome),
    ...decision.apis.map((api) => field("a", api, outcome)),
    ...decision.codes.map((code) => field("c", code)),
  ];
  if (decision.rateLimited) fields.push("l");
  for (const integration of decision.refusedBy) fields.push(field("r", integration));
  return fields;
}

/** The fields of one upstream check: its latency bucket (index into `bounds`) and result. */
export function upstreamFields(
  integration: Integration,
  result: UpstreamResult,
  seconds: number,
  bounds: readonly number[],
): string[] {
  const index = bounds.findIndex((bound) => seconds <= bound);
  const slot = index === -1 ? bounds.length : index;
  return [field("u", integration, String(slot)), field("v", integration, result)];
}

/** Adds `from` into `into`. */
export function addFields(into: FieldCounts, from: ReadonlyMap<string, number>): void {
  for (const [name, n] of from) into.set(name, (into.get(name) ?? 0) + n);
}
