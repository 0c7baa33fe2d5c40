import { HtuError } from "./dpop-errors.js";

/** Longer URLs are refused before parsing; a proof is at most 8 KiB anyway. */
const MAX_URL_LENGTH = 8 * 1024;
const PERCENT_ENCODED = /%([0-9A-Fa-f]{2})/g;
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/** The URL parser silently strips or drops these; an htu carrying them is not well-formed. */
function hasControlOrSpace(url: string): boolean {
  for (let i = 0; i < url.length; i++) {
    const code = url.charCodeAt(i);
    if (code <= 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * RFC 3986 6.2.2.2: percent-encoded unreserved characters are decoded and every other
 * triplet gets upper-case hex, so `%7e`, `%7E` and `~` compare equal.
 */
function normalizePercentEncoding(path: string): string {
  return path.replace(PERCENT_ENCODED, (_triplet, hex: string) => {
    const char = String.fromCharCode(Number.parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}

/**
 * The form of a URL that DPoP `htu` comparisons use (RFC 9449 4.3, RFC 3986 6.2.2 and
 * 6.2.3): scheme and host lower-case, default port dropped, empty path "/", dot segments
 * removed, percent-encoding normalised, query and fragment dropped.
 * Throws HtuError for anything but an absolute http(s) URL, or one with user info.
 */
export function normalizeHtu(url: string): string {
  if (typeof url !== "string" || url.length > MAX_URL_LENGTH || hasControlOrSpace(url)) {
    throw new HtuError();
  }
  let parsed: URL;
  try {
    // The WHATWG parser does the case, port, empty path and dot segment steps.
    parsed = new URL(url);
  } catch {
    throw new HtuError();
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new HtuError();
  if (parsed.username !== "" || parsed.password !== "") throw new HtuError();
  return `${parsed.protocol}//${parsed.host}${normalizePercentEncoding(parsed.pathname)}`;
}
