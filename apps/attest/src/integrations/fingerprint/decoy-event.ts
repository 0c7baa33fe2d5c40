import type { VisitSources } from "../visit-sources.js";
import type { FingerprintEvent } from "./events.js";

/** What a Fingerprint decoy's synthesized visit is built from: the request's own data. */
export interface DecoyVisit extends VisitSources {
  ip: string;
  /** The page URL when the request names none (from the page host or API domain). */
  fallbackUrl: string;
}

/** A current desktop Chrome, for requests without a User-Agent (scripts). */
const DEFAULT_USER_AGENT =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

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
