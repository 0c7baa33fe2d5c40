import { isIP } from "node:net";

/** Longer Origin / Referer values are not parsed: bounds the work spent on client text. */
const MAX_HEADER_CHARS = 2048;
/** The longest text form of a DNS name. */
const MAX_HOST_CHARS = 253;
/** One DNS label as a page host can have it (browsers accept `_`), lower-case. */
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/**
 * Whether `host` (lower-cased, without a trailing dot) is what a page's `location.hostname`
 * can be: a DNS name, an IPv4 address, or a bracketed IPv6 address.
 */
export function isPageHost(host: string): boolean {
  if (host.startsWith("[") && host.endsWith("]")) return isIP(host.slice(1, -1)) === 6;
  if (isIP(host) === 4) return true;
  if (host.length === 0 || host.length > MAX_HOST_CHARS) return false;
  return host.split(".").every((label) => LABEL.test(label));
}

/**
 * The host of an `Origin` or `Referer` value: an http(s) URL's host, lower-cased, without a
 * trailing dot, and only when it is a plain host name or IP (never other header text).
 */
export function hostOfPageUrl(value: string | null | undefined): string | undefined {
  if (!value || value.length > MAX_HEADER_CHARS) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined; // "null" (opaque origins) and anything else that is no URL
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  return isPageHost(host) ? host : undefined;
}

/** The page's host as the request names it: its `Origin`, else its `Referer`. */
export function pageHostOf(headers: Headers): string | undefined {
  return hostOfPageUrl(headers.get("origin")) ?? hostOfPageUrl(headers.get("referer"));
}

/**
 * The registrable root of a page host, as services that report roots write it: subdomain labels stripped to the last two
 * ("www.shapes.example" -> "shapes.example"); single labels ("localhost") and IP addresses
 * unchanged. No public-suffix list, like the sandbox ("a.example.co.uk" -> "co.uk").
 */
export function registrableRoot(host: string): string {
  if (host.startsWith("[") || isIP(host) !== 0) return host;
  const labels = host.split(".");
  return labels.length <= 2 ? host : labels.slice(-2).join(".");
}
