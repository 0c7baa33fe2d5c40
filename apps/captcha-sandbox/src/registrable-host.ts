import { isIP } from "node:net";

/**
 * The hostname hCaptcha reports for a page: subdomain labels stripped to the last two
 * ("www.example.com" -> "example.com"). No public-suffix list, so "a.b.example.co.uk"
 * becomes "co.uk"; single labels ("localhost") and IP addresses are kept as they are.
 */
export function registrableHost(host: string): string {
  const name = host.toLowerCase().replace(/\.$/, "");
  if (name.startsWith("[") || isIP(name) !== 0) return name;
  const labels = name.split(".");
  return labels.length <= 2 ? name : labels.slice(-2).join(".");
}

const LABEL = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** Whether `host` is what `location.hostname` can be on a web page: a DNS name or an IP. */
export function isPageHost(host: string): boolean {
  const name = host.toLowerCase();
  if (name.startsWith("[") && name.endsWith("]")) return isIP(name.slice(1, -1)) === 6;
  if (isIP(name) === 4) return true;
  if (name.length === 0 || name.length > 253) return false;
  return name
    .replace(/\.$/, "")
    .split(".")
    .every((label) => LABEL.test(label));
}
