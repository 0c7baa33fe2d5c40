import { HEADERS } from "@shapes/protocol";
import { createDpopProof } from "./dpop-proof.js";
import { ApproovFetchError, ApproovServiceError } from "./errors.js";
import type { Session } from "./session.js";

/**
 * A request to the service that has not answered by then is abandoned (ApproovFetchError).
 * It bounds the whole exchange: every retry and every pause between them.
 */
export const REQUEST_TIMEOUT_MS = 30_000;

const INVALID_NONCE = "aprv-invalid-nonce";
const INVALID_PROOF = "aprv-invalid-dpop-token";

/**
 * Answers that say "not now" rather than "no": the proxy found no live instance (502, 504)
 * or the service failed closed while its shared store was away (503).
 */
const TRANSIENT_STATUSES = [502, 503, 504];

/**
 * The pause before each retry of a transient failure (then it is given up): 4 retries,
 * each jittered to 50-100% so that sessions cut off together do not come back together.
 * At least 3.75 s and at most 7.5 s in all: they ride over an instance dying (the proxy skips
 * it at once) and a Redis outage of up to ~3 s, well inside REQUEST_TIMEOUT_MS.
 */
export const RETRY_PAUSES_MS = [500, 1000, 2000, 4000];

/**
 * Runs `attempt` until it gives an answer that is not transient, pausing (jittered)
 * between tries. After the last pause, or when the next would pass the deadline (set just
 * before the requests' timeout signal), the last error is thrown and the last transient
 * answer returned to the caller.
 */
async function withRetries<T extends { status: number }>(
  deadline: number,
  attempt: () => Promise<T>,
): Promise<T> {
  for (let retry = 0; ; retry++) {
    let answer: T | undefined;
    let failure: unknown;
    try {
      answer = await attempt();
      if (!TRANSIENT_STATUSES.includes(answer.status)) return answer;
    } catch (error) {
      failure = error;
    }
    const pause = (RETRY_PAUSES_MS[retry] ?? Number.POSITIVE_INFINITY) * (0.5 + Math.random() / 2);
    // Past the deadline (a timeout included) nothing is tried again.
    if (Date.now() + pause >= deadline) {
      if (answer) return answer;
      throw failure;
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

/**
 * POSTs form parameters to an SDK endpoint of the service with a DPoP proof of the
 * session key, and returns the parsed JSON of a 2xx answer. Keeps the latest
 * `DPoP-Nonce` and, when the service refuses the proof's nonce (the first request of a
 * session has none) or calls it replayed (after a Redis restart), retries once with a new
 * proof. A network error, a broken answer or a 502/503/504 is retried (withRetries), each
 * time with a new proof (new `jti` and `iat`, and the nonce the failed answer brought, if
 * any); any other 4xx never is.
 */
export async function postToService(
  session: Session,
  path: "/token" | "/refresh",
  params: URLSearchParams,
): Promise<unknown> {
  const url = `${session.config.origin}${path}`;
  await session.firstNonce;
  const deadline = Date.now() + REQUEST_TIMEOUT_MS;
  const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  for (let proofRenewed = false; ; proofRenewed = true) {
    const { response, body, nonce } = await withRetries(deadline, async () => {
      const proof = await createDpopProof(session.key, {
        htm: "POST",
        htu: url,
        nonce: session.nonce,
      });
      const response = await send(url, proof, params, signal);
      const nonce = response.headers.get(HEADERS.dpopNonce);
      if (nonce) session.nonce = nonce;
      // Read here so that an answer cut off mid-body is retried like a dropped connection.
      return { status: response.status, response, body: await readJson(response), nonce };
    });
    if (response.ok && body !== undefined) return body;
    const errors = errorsOf(body);
    // Both are about the proof, not the request: a new proof fixes them, once. The SDK never
    // sends a proof twice, so "replayed" means the service's replay memory restarted empty
    // and refuses proofs older than that; a new one is not.
    const staleNonce = nonce && Object.hasOwn(errors, INVALID_NONCE);
    if (!proofRenewed && (staleNonce || errors[INVALID_PROOF] === "replayed")) continue;
    throw new ApproovServiceError(messageOf(body, response), response.status, errors);
  }
}

/**
 * Asks the service for a server nonce (GET /nonce, RFC 9449 section 8.2) so that the
 * session's first proof carries one; retried like the POSTs. Best effort: without it,
 * the first request is refused once for lack of a nonce and retried, as before.
 */
export async function prefetchNonce(session: Session): Promise<void> {
  try {
    const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    const response = await withRetries(Date.now() + REQUEST_TIMEOUT_MS, () =>
      fetch(`${session.config.origin}/nonce`, {
        credentials: "omit",
        cache: "no-store",
        signal,
      }),
    );
    const nonce = response.headers.get(HEADERS.dpopNonce);
    if (response.ok && nonce && session.nonce === undefined) session.nonce = nonce;
  } catch {
    // The first request's retry gets a nonce instead.
  }
}

async function send(
  url: string,
  proof: string,
  params: URLSearchParams,
  signal: AbortSignal,
): Promise<Response> {
  try {
    return await fetch(url, {
      method: "POST",
      headers: { [HEADERS.dpop]: proof },
      // URLSearchParams sets Content-Type: application/x-www-form-urlencoded.
      body: params,
      // Nothing about the session is kept by the browser: no cookies, no cache.
      credentials: "omit",
      cache: "no-store",
      signal,
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
