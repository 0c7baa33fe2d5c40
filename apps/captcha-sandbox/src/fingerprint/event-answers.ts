import { BOT_PROBABILITY } from "./bot-control.js";
import type { IdentificationEvent } from "./event-store.js";

/** The agent's and the API's confidence: the sandbox is always sure. */
export const CONFIDENCE = { score: 1 } as const;

/** No geolocation offline: a fixed, obviously local location. */
const IP_LOCATION = {
  accuracyRadius: 1000,
  latitude: 0,
  longitude: 0,
  timezone: "Etc/UTC",
  city: { name: "Sandbox" },
  country: { code: "ZZ", name: "Sandbox" },
  continent: { code: "ZZ", name: "Sandbox" },
  subdivisions: [],
};

/** Fingerprint's time format: ISO 8601 to the second. */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function seenAt(ms: number | null) {
  const at = ms === null ? null : isoSeconds(ms);
  return { global: at, subscription: at };
}

/** Fields both API shapes share. */
function visitFields(event: IdentificationEvent) {
  return {
    requestId: event.requestId,
    incognito: false,
    ip: event.ip,
    ipLocation: IP_LOCATION,
    ...(event.linkedId === undefined ? {} : { linkedId: event.linkedId }),
    timestamp: event.timestamp,
    time: isoSeconds(event.timestamp),
    url: event.url,
    tag: event.tag,
    confidence: CONFIDENCE,
    visitorFound: event.visitorFound,
    firstSeenAt: seenAt(event.firstSeenAt),
    lastSeenAt: seenAt(event.lastSeenAt),
  };
}

/** `GET /events/{requestId}`: the Server API v3 event. */
export function eventAnswer(event: IdentificationEvent, replayed: boolean) {
  return {
    products: {
      identification: {
        data: {
          visitorId: event.visitorId,
          ...visitFields(event),
          browserDetails: event.browserDetails,
          replayed,
        },
      },
      botd: {
        data: {
          bot: { result: event.bot },
          url: event.url,
          ip: event.ip,
          time: isoSeconds(event.timestamp),
          userAgent: event.browserDetails.userAgent,
          requestId: event.requestId,
          ...(event.linkedId === undefined ? {} : { linkedId: event.linkedId }),
        },
      },
    },
  };
}

/** One entry of `GET /visitors/{visitorId}`: the older shape, with `botProbability`. */
export function visitAnswer(event: IdentificationEvent) {
  return {
    ...visitFields(event),
    browserDetails: { ...event.browserDetails, botProbability: BOT_PROBABILITY[event.bot] },
  };
}
