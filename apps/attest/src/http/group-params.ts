import { ENDPOINT_PARAMS, ATTEST_PARAMS as P, type ServiceEndpoint } from "@shapes/protocol";
import type { ErrorCollector } from "./attest-error.js";
import { listForDetail } from "./list-for-detail.js";
import type { Param } from "./parse-params.js";

/** A request's parameters by name, once the illegal ones are set aside. */
export interface GroupedParams {
  first(name: string): string | undefined;
  all(name: string): string[];
  has(name: string): boolean;
}

const LEGAL: Record<ServiceEndpoint, ReadonlySet<string>> = {
  attest: new Set(ENDPOINT_PARAMS.attest),
  token: new Set(ENDPOINT_PARAMS.token),
  refresh: new Set(ENDPOINT_PARAMS.refresh),
};

/**
 * Groups `params` by name, reporting as `rqst-illegal-params` every name the endpoint
 * does not accept and every name other than `api` given more than once.
 */
export function groupParams(
  params: readonly Param[],
  endpoint: ServiceEndpoint,
  errors: ErrorCollector,
): GroupedParams {
  const legal = LEGAL[endpoint];
  const byName = new Map<string, string[]>();
  // A Set keeps first-seen order and makes each name one lookup: the names are client input.
  const unknown = new Set<string>();
  for (const [name, value] of params) {
    if (!legal.has(name)) {
      unknown.add(name);
      continue;
    }
    const values = byName.get(name);
    if (values) values.push(value);
    else byName.set(name, [value]);
  }
  const illegal = [...unknown];
  for (const [name, values] of byName) {
    if (name !== P.api && values.length > 1) illegal.push(`repeated: ${name}`);
  }
  if (illegal.length > 0) errors.add("rqst-illegal-params", listForDetail(illegal));
  return {
    first: (name) => byName.get(name)?.[0],
    all: (name) => byName.get(name) ?? [],
    has: (name) => byName.has(name),
  };
}
