import type { HcaptchaSiteConfig } from "../account/account.js";
import type { FingerprintEvent } from "./fingerprint/events.js";

/**
 * A decoy JWE's full result. A valid JWE of an `embedResult` site carries the service's whole
 * success answer; a failed check's answer is much shorter (`{success:false, error-codes}`, or
 * no Fingerprint event at all), and although nobody can read a JWE, its length would give the
 * decoy away. So a decoy embeds an object with a success answer's keys, nesting, value types
 * and typical lengths, built from what is known. Its content matters to nobody: a decoy is
 * encrypted under a per-process key nobody has. Fixed values, no randomness: lengths vary
 * no more than valid tokens' do.
 */

/** The minimal entry already filled for the decoy (challenge_ts as that service writes it). */
export interface SiteverifyDecoyEntry {
  challenge_ts: string;
  hostname: string;
}

/**
 * A success answer's shape for a failed siteverify answer, in the order the services answer.
 * Score fields where the site's rules imply answers carry them: hCaptcha Enterprise (a site
 * with minScore can only pass with a score), reCAPTCHA v3 (minScore or actions).
 */
export function decoySiteverifyAnswer(
  integration: "hcaptcha" | "recaptcha",
  answer: Record<string, unknown>,
  entry: SiteverifyDecoyEntry,
  site: HcaptchaSiteConfig & { actions?: readonly string[] },
): Record<string, unknown> {
  const base = {
    success: answer.success === true,
    challenge_ts: entry.challenge_ts,
    hostname: entry.hostname,
  };
  if (integration === "hcaptcha") {
    return {
      ...base,
      credit: answer.credit === true,
      ...(site.minScore > 0 ? { score: 0.1, score_reason: [] } : {}),
    };
  }
  const actions = site.actions ?? [];
  const v3 = site.minScore > 0 || actions.length > 0;
  return v3 ? { ...base, score: 0.9, action: actions[0] ?? "submit" } : base;
}

/** What the request tells about the browser, for a Fingerprint decoy's visit. */
export interface VisitSources {
  userAgent?: string;
  /** The page's URL (Referer, else Origin), validated; absent if neither names one. */
  pageUrl?: string;
}

/** What a Fingerprint decoy's synthesized visit is built from: the request's own data. */
export interface DecoyVisit extends VisitSources {
  ip: string;
  /** The page URL when the request names none (from the page host or API domain). */
  fallbackUrl: string;
}

/** Longest User-Agent / page URL taken over; longer ones get the defaults. */
const MAX_SOURCE_CHARS = 512;
/** A current desktop Chrome, for requests without a User-Agent (scripts). */
const DEFAULT_USER_AGENT =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

/** The page's URL without query or fragment, when `value` is a short http(s) URL. */
function pageUrl(value: string | null): string | undefined {
  if (!value || value.length > MAX_SOURCE_CHARS) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    return `${url.origin}${url.pathname}`;
  } catch {
    return undefined;
  }
}

/** The User-Agent and page URL of a request, bounded (for `decoyFingerprintEvent`). */
export function visitSourcesOf(headers: Headers): VisitSources {
  const userAgent = headers.get("user-agent") ?? undefined;
  const url = pageUrl(headers.get("referer")) ?? pageUrl(headers.get("origin"));
  return {
    ...(userAgent && userAgent.length <= MAX_SOURCE_CHARS ? { userAgent } : {}),
    ...(url ? { pageUrl: url } : {}),
  };
}

/** Fingerprint's `ipLocation` keys with neutral values (the v3 field is deprecated anyway). */
const IP_LOCATION = {
  accuracyRadius: 1000,
  latitude: 0,
  longitude: 0,
  timezone: "Etc/UTC",
  city: { name: "Unknown" },
  country: { code: "ZZ", name: "Unknown" },
  continent: { code: "ZZ", name: "Unknown" },
  subdivisions: [],
};

/**
 * A synthesized event for a request id Fingerprint does not know: the browser's ids, its
 * User-Agent, IP and page URL, plausible defaults for the rest. Only its shape is used (the
 * full result of a decoy JWE).
 */
export function decoyFingerprintEvent(
  ids: { visitorId: string; requestId: string },
  visit: DecoyVisit,
  nowMs: number,
): FingerprintEvent {
  const userAgent = visit.userAgent ?? DEFAULT_USER_AGENT;
  const version = /(?:Chrome|Firefox|Version)\/(\d+)/.exec(userAgent)?.[1] ?? "124";
  return {
    ...ids,
    timestamp: nowMs,
    replayed: false,
    botResult: "notDetected",
    identification: {
      visitorId: ids.visitorId,
      requestId: ids.requestId,
      browserDetails: {
        browserName: "Chrome",
        browserMajorVersion: version,
        browserFullVersion: `${version}.0.0`,
        os: "Windows",
        osVersion: "10",
        device: "Other",
        userAgent,
      },
      incognito: false,
      ip: visit.ip,
      ipLocation: IP_LOCATION,
      time: new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, "Z"),
      timestamp: nowMs,
      url: visit.pageUrl ?? visit.fallbackUrl,
      tag: {},
    },
  };
}
