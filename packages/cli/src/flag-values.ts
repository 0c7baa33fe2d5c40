import { UsageError } from "./errors.js";

/** A plain decimal number: no hex, exponent, Infinity or empty string (which Number() allows). */
const DECIMAL = /^-?(\d+(\.\d*)?|\.\d+)$/;

function decimal(raw: string): number | undefined {
  const text = raw.trim();
  return DECIMAL.test(text) ? Number(text) : undefined;
}

/** A number in 0..1 (`-minScore`, `-maxBotProbability`). */
export function parseFraction(flag: string, raw: string): number {
  const value = decimal(raw);
  if (value === undefined || value < 0 || value > 1) {
    throw new UsageError(`${flag} must be a number between 0 and 1, got "${raw}"`);
  }
  return value;
}

/** A whole number in min..max (`-rateLimit`, the lifetimes). */
export function parseWhole(
  flag: string,
  raw: string,
  min: number,
  max: number = Number.MAX_SAFE_INTEGER,
  unit = "",
): number {
  const text = raw.trim();
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `between ${min} and ${max}`;
    throw new UsageError(`${flag} must be a whole number${unit} ${range}, got "${raw}"`);
  }
  return value;
}

export type Region = "RoW" | "EU";

/** Fingerprint's subscription region, case-insensitive in, canonical out. */
export function parseRegion(raw: string): Region {
  const lower = raw.trim().toLowerCase();
  if (lower === "row") return "RoW";
  if (lower === "eu") return "EU";
  throw new UsageError(`region must be RoW or EU, got "${raw}"`);
}

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const HOST = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);

/** An API domain as the admin API defines it: a host name with an optional :port, lower-cased. */
export function parseApiDomain(raw: string): string {
  const text = raw.trim().toLowerCase();
  const match = /^([^:]+)(?::(\d{1,5}))?$/.exec(text);
  const host = match?.[1];
  const port = match?.[2];
  const portOk = port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
  if (!host || host.length > 253 || !HOST.test(host) || !portOk) {
    throw new UsageError(
      `API domain must be a host name like api.example.com (letters, digits, dots, hyphens, optional :port; no scheme or path), got "${raw}"`,
    );
  }
  return text;
}

/** A web site domain for `-domain` (what the captcha service reports): a host name. */
export function parseSiteDomain(raw: string): string {
  const text = raw.trim().toLowerCase();
  if (text.length > 253 || !HOST.test(text)) {
    throw new UsageError(
      `domain must be a host name like www.example.com (letters, digits, dots, hyphens), got "${raw}"`,
    );
  }
  return text;
}

/** Path words of the admin API that a site key must not shadow (PUT /web/<i>/optional). */
const RESERVED_KEYS = new Set(["optional"]);

/** A site key or Fingerprint public key: it becomes a URL path segment. */
export function parseSiteKey(flag: string, raw: string): string {
  const text = raw.trim();
  if (!/^[A-Za-z0-9._~-]{1,256}$/.test(text) || text === "." || text === "..") {
    throw new UsageError(
      `${flag} must be a key of letters, digits, ".", "_", "~" or "-" (at most 256), got "${raw}"`,
    );
  }
  if (RESERVED_KEYS.has(text.toLowerCase())) {
    throw new UsageError(`${flag} "${text}" is reserved by the admin API; it cannot be a key`);
  }
  return text;
}

/** Longest secret accepted: real ones are under 100 characters; the body limit is 16 KiB. */
export const MAX_SECRET_CHARS = 1024;

/** A secret: printable, no spaces, bounded. Never echoed back, even in an error. */
export function parseSecret(raw: string): string {
  if (raw.length > MAX_SECRET_CHARS) {
    throw new UsageError(`secret is too long (more than ${MAX_SECRET_CHARS} characters)`);
  }
  if (!/^[\x21-\x7e]+$/.test(raw)) {
    throw new UsageError("secret must be printable ASCII without spaces");
  }
  return raw;
}

function isControl(char: string): boolean {
  const code = char.charCodeAt(0);
  return code < 0x20 || code === 0x7f;
}

/** A bounded free-form value (`-action`, `-setDataHashInToken`, a token to check). */
export function parseText(flag: string, raw: string, maxChars: number): string {
  if (raw.length > maxChars) {
    throw new UsageError(`${flag} is too long (more than ${maxChars} characters)`);
  }
  if ([...raw].some(isControl)) {
    throw new UsageError(`${flag} must not contain control characters`);
  }
  return raw;
}
