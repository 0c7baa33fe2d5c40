import { readBounded } from "../http/read-bounded.js";
import { type UpstreamCheckCode, UpstreamCheckError } from "./upstream-check-error.js";

/** What an upstream answered: any status, with its (bounded) body as text. */
export interface UpstreamAnswer {
  status: number;
  headers: Headers;
  text: string;
}

export interface UpstreamRequest {
  url: string;
  init: { method: "GET" | "POST"; body?: URLSearchParams; headers: Record<string, string> };
  /** One deadline for connecting, the answer and its body. */
  timeoutMs: number;
  /** The error code of a failure (the integration's token-check code). */
  code: UpstreamCheckCode;
  /** How details name the upstream, e.g. "siteverify". */
  name: string;
}

/** Upstream answers are small; a bigger one is refused rather than buffered. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * One request to an integration's server, within `timeoutMs`, never following a redirect.
 * Resolves with whatever status came back (the caller decides what it means); rejects with
 * UpstreamCheckError when no complete answer arrived: unreachable, reset, too slow, too big.
 */
export async function upstreamRequest(request: UpstreamRequest): Promise<UpstreamAnswer> {
  const fail = (detail: string) =>
    new UpstreamCheckError(request.code, `${request.name} ${detail}`);
  const signal = AbortSignal.timeout(request.timeoutMs);
  const timedOut = () => fail(`timed out after ${request.timeoutMs} ms`);
  let response: Response;
  try {
    response = await fetch(request.url, { ...request.init, signal, redirect: "manual" });
  } catch {
    throw signal.aborted ? timedOut() : fail("unreachable");
  }
  try {
    const bytes = response.body
      ? await readBounded(response.body, MAX_ANSWER_BYTES, () => fail("answered more than 64 KiB"))
      : new Uint8Array(0);
    const text = Buffer.from(bytes).toString("utf8");
    return { status: response.status, headers: response.headers, text };
  } catch (error) {
    if (error instanceof UpstreamCheckError) throw error;
    throw signal.aborted ? timedOut() : fail("answer could not be read");
  }
}

/** The answer's JSON, or UpstreamCheckError "<name> answered malformed JSON". */
export function answerJson(
  answer: UpstreamAnswer,
  request: Pick<UpstreamRequest, "code" | "name">,
) {
  try {
    return JSON.parse(answer.text) as unknown;
  } catch {
    throw new UpstreamCheckError(request.code, `${request.name} answered malformed JSON`);
  }
}
