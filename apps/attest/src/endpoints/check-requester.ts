import { pageHostOf } from "../http/page-host.js";
import type { CheckRequester } from "../integrations/run-checks.js";
import { visitSourcesOf } from "../integrations/visit-sources.js";

/** Who asks for a check, as /attest and /token both tell runChecks: ip, APIs, page, browser. */
export function checkRequesterOf(
  headers: Headers,
  ip: string,
  apis: readonly string[],
): CheckRequester {
  return { ip, apis, pageHost: pageHostOf(headers), ...visitSourcesOf(headers) };
}
