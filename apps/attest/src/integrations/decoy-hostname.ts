import { registrableRoot } from "../http/page-host.js";

/** What the request tells about where it came from, for hostnames a failed answer lacks. */
export interface DecoyHostSources {
  /** The page's host from `Origin`, else `Referer` (validated: page-host.ts); absent if neither. */
  pageHost?: string;
  /** The API domains the tokens are for (registered domains, maybe with a `:port`). */
  apis: readonly string[];
}

/** Everything a decoy's hostname may come from, for one siteverify check. */
export interface DecoyHostInputs extends DecoyHostSources {
  service: "hcaptcha" | "recaptcha";
  /** The upstream answer's hostname (a failed answer usually has none). */
  answer: string | undefined;
  /** hCaptcha on `/token`: the `hcaptcha-host` the SDK reported (validated, lower-cased). */
  hcaptchaHost?: string;
  /** The site's configured `domains` (lower-cased host names, in the service's form). */
  domains: readonly string[];
}

/** Used only if a request named no API, which validation never lets through. */
const LAST_RESORT = "localhost";

/**
 * The hostname a failed check's decoy embeds. A valid token always names a host, so a decoy
 * must too, written the way that service reports it (hCaptcha: the registrable root;
 * reCAPTCHA: the full host), or anyone decoding tokens could tell them apart. In order:
 * the upstream's, hCaptcha's `hcaptcha-host`, the page's (Origin / Referer), the site's first
 * domain, the first API domain.
 */
export function decoyHostname(inputs: DecoyHostInputs): string {
  const { service, answer, hcaptchaHost, pageHost, domains, apis } = inputs;
  const asReported = (host: string) => (service === "hcaptcha" ? registrableRoot(host) : host);
  if (answer) return answer;
  if (service === "hcaptcha" && hcaptchaHost) return hcaptchaHost;
  if (pageHost) return asReported(pageHost);
  const domain = domains[0];
  if (domain) return domain;
  // An API domain may carry a port; a hostname never does.
  const api = apis[0]?.replace(/:\d+$/, "");
  return api ? asReported(api) : LAST_RESORT;
}
