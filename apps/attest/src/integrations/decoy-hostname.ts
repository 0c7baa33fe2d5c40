import { registrableRoot } from "../http/page-host.js";

/** What the request tells about where it came from, for hostnames a failed answer lacks. */
export interface DecoyHostSources {
  /** The page's host from `Origin`, else `Referer` (validated: page-host.ts); absent if neither. */
  pageHost?: string;
  /** The API domains the tokens are for (registered domains, maybe with a `:port`). */
  apis: readonly string[];
}

/**
 * How a service writes the hostname of its answers: the registrable root of the page's
 * host, or the full host: each integration says which.
 */
export type HostForm = "registrable-root" | "full";

/** Everything a decoy's hostname may come from, for one siteverify check. */
export interface DecoyHostInputs extends DecoyHostSources {
  hostForm: HostForm;
  /** The upstream answer's hostname (a failed answer usually has none). */
  answer: string | undefined;
  /** A host the client itself reported for the check (validated, lower-cased). */
  reportedHost?: string | undefined;
  /** The site's configured `domains` (lower-cased host names, in the service's form). */
  domains: readonly string[];
}

/** Used only if a request named no API, which validation never lets through. */
const LAST_RESORT = "localhost";

/**
 * The hostname a failed check's decoy embeds. A valid token always names a host, so a decoy
 * must too, written the way that service reports it, or anyone decoding tokens could tell
 * them apart. In order: the upstream's, the host the client reported, the page's (Origin /
 * Referer), the site's first domain, the first API domain.
 */
export function decoyHostname(inputs: DecoyHostInputs): string {
  const { hostForm, answer, reportedHost, pageHost, domains, apis } = inputs;
  const asReported = (host: string) =>
    hostForm === "registrable-root" ? registrableRoot(host) : host;
  if (answer) return answer;
  if (reportedHost) return reportedHost;
  if (pageHost) return asReported(pageHost);
  const domain = domains[0];
  if (domain) return domain;
  // An API domain may carry a port; a hostname never does.
  const api = apis[0]?.replace(/:\d+$/, "");
  return api ? asReported(api) : LAST_RESORT;
}
