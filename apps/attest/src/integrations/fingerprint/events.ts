import { FINGERPRINT } from "@shapes/protocol";
import { UpstreamCheckError } from "../upstream-check-error.js";
import { answerJson, upstreamRequest } from "../upstream-request.js";

/** The parts of a Server API v3 event (`GET /events/{requestId}`) the service uses. */
export interface FingerprintEvent {
  visitorId: string;
  requestId: string;
  /** Identification time, ms since the epoch. */
  timestamp: number;
  /** Whether Fingerprint has answered this request id before. */
  replayed: boolean;
  /** `products.botd.data.bot.result`: "notDetected", "good" or "bad"; absent without botd. */
  botResult?: string;
  /** The identification's fields, as answered (for the full embedded result). */
  identification: Record<string, unknown>;
}

export interface EventRequest {
  /** The region's Server API base, e.g. https://api.fpjs.io */
  baseUrl: string;
  /** The subscription's secret API key (the Auth-API-Key header; never logged). */
  secret: string;
  requestId: string;
  timeoutMs: number;
}

const TARGET = { code: FINGERPRINT.codes.tokenCheck, name: "Fingerprint API" } as const;
const fail = (detail: string) => new UpstreamCheckError(TARGET.code, detail);
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Fingerprint's error code (`{"error": {"code"}}`), when the body has a sane one. */
function errorCode(text: string): string | undefined {
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } })?.error?.code;
    return typeof code === "string" && /^[A-Za-z]{1,40}$/.test(code) ? code : undefined;
  } catch {
    return undefined;
  }
}

function parseEvent(json: unknown, requestId: string): FingerprintEvent {
  const malformed = fail("Fingerprint API answered malformed JSON");
  if (!isRecord(json) || !isRecord(json.products)) throw malformed;
  const identification = json.products.identification;
  if (!isRecord(identification) || !isRecord(identification.data)) throw malformed;
  const data = identification.data;
  if (
    typeof data.visitorId !== "string" ||
    data.requestId !== requestId ||
    typeof data.timestamp !== "number" ||
    !Number.isFinite(data.timestamp) ||
    !(data.replayed === undefined || typeof data.replayed === "boolean")
  ) {
    throw malformed;
  }
  const botd = json.products.botd;
  const bot = isRecord(botd) && isRecord(botd.data) ? botd.data.bot : undefined;
  const event: FingerprintEvent = {
    visitorId: data.visitorId,
    requestId,
    timestamp: data.timestamp,
    replayed: data.replayed === true,
    identification: data,
  };
  if (isRecord(bot) && typeof bot.result === "string") event.botResult = bot.result;
  return event;
}

/**
 * Looks up one identification with the Server API v3. Resolves with the event, or
 * undefined when Fingerprint does not know the request id (404: a failed check, not an
 * error). Rejects with UpstreamCheckError (fp-tok-check) when no answer could be had:
 * secret refused (403), rate limited (429), other statuses, malformed, unreachable, slow.
 */
export async function fetchFingerprintEvent(
  request: EventRequest,
): Promise<FingerprintEvent | undefined> {
  const base = request.baseUrl.replace(/\/+$/, "");
  const answer = await upstreamRequest({
    ...TARGET,
    url: `${base}/events/${encodeURIComponent(request.requestId)}`,
    init: {
      method: "GET",
      headers: { "Auth-API-Key": request.secret, accept: "application/json" },
    },
    timeoutMs: request.timeoutMs,
  });
  switch (answer.status) {
    case 200:
      return parseEvent(answerJson(answer, TARGET), request.requestId);
    case 404:
      return undefined;
    case 403:
      throw fail(`Fingerprint: secret key not accepted (${errorCode(answer.text) ?? "HTTP 403"})`);
    case 429: {
      const retryAfter = answer.header("retry-after");
      const after =
        retryAfter && /^\d{1,6}$/.test(retryAfter) ? `, retry after ${retryAfter} s` : "";
      throw fail(`Fingerprint: rate limited (${errorCode(answer.text) ?? "HTTP 429"})${after}`);
    }
    default:
      throw fail(`Fingerprint API answered HTTP ${answer.status}`);
  }
}
