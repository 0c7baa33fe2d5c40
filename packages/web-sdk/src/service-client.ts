import { HEADERS } from "@shapes/protocol";
import { createDpopProof } from "./dpop-proof.js";
import { ApproovFetchError, ApproovServiceError } from "./errors.js";
import type { Session } from "./session.js";

/** A request to the service that has not answered by then is abandoned (ApproovFetchError). */
export const REQUEST_TIMEOUT_MS = 30_000;

const INVALID_NONCE = "aprv-invalid-nonce";

/**
 * POSTs form parameters to an SDK endpoint of the service with a DPoP proof of the
 * session key, and returns the parsed JSON of a 2xx answer. Keeps the latest
 * `DPoP-Nonce` and, when the service refuses the proof's nonce (the first request
 * of a session has none), retries once with the new one.
 */
export async function postToService(
  session: Session,
  path: "/token" | "/refresh",
  params: URLSearchParams,
): Promise<unknown> {
  const url = `${session.config.origin}${path}`;
  await session.firstNonce;
  for (let attempt = 0; ; attempt++) {
    const proof = await createDpopProof(session.key, {
      htm: "POST",
      htu: url,
      nonce: session.nonce,
    });
    const response = await send(url, proof, params);
    const nonce = response.headers.get(HEADERS.dpopNonce);
    if (nonce) session.nonce = nonce;
    const body = await readJson(response);
    if (response.ok && body !== undefined) return body;
    const errors = errorsOf(body);
    if (attempt === 0 && nonce && Object.hasOwn(errors, INVALID_NONCE)) continue;
    throw new ApproovServiceError(messageOf(body, response), response.status, errors);
  }
}

/**
 * Asks the service for a server nonce (GET /nonce, RFC 9449 section 8.2) so that the
 * session's first proof carries one. Best effort: without it, the first request is
 * refused once for lack of a nonce and retried, as before.
 */
export async function prefetchNonce(session: Session): Promise<void> {
  try {
    const response = await fetch(`${session.config.origin}/nonce`, {
      credentials: "omit",
      cache: "no-store",
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const nonce = response.headers.get(HEADERS.dpopNonce);
    if (response.ok && nonce && session.nonce === undefined) session.nonce = nonce;
  } catch {
    // The first request's retry gets a nonce instead.
  }
}

async function send(url: string, proof: string, params: URLSearchParams): Promise<Response> {
  try {
    return await fetch(url, {
      method: "POST",
      headers: { [HEADERS.dpop]: proof },
      // URLSearchParams sets Content-Type: application/x-www-form-urlencoded.
      body: params,
      // Nothing about the session is kept by the browser: no cookies, no cache.
      credentials: "omit",
      cache: "no-store",
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (cause) {
    throw new ApproovFetchError(`request to the Approov service failed: ${describe(cause)}`, cause);
  }
}

/** The JSON body, or undefined when it is not JSON; a broken stream is a fetch error. */
async function readJson(response: Response): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (cause) {
    throw new ApproovFetchError(
      `reading the Approov service's answer failed: ${describe(cause)}`,
      cause,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function errorsOf(body: unknown): Record<string, string> {
  const errors = isObject(body) ? body.errors : undefined;
  if (!isObject(errors)) return {};
  const result: Record<string, string> = {};
  for (const [code, detail] of Object.entries(errors)) result[code] = String(detail);
  return result;
}

function messageOf(body: unknown, response: Response): string {
  const message = isObject(body) ? body.message : undefined;
  if (typeof message === "string" && message) return message;
  return response.ok
    ? "the Approov service sent an answer that is not JSON"
    : `HTTP ${response.status} ${response.statusText}`.trim();
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(cause: unknown): string {
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
}
