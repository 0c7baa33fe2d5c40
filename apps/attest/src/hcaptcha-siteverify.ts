import { UpstreamCheckError } from "./upstream-check-error.js";

/** The parts of hCaptcha's siteverify answer the service uses. */
export interface SiteverifyResult {
  success: boolean;
  challenge_ts?: string;
  hostname?: string;
  /** Enterprise risk score: 0.0 = human, 1.0 = bot. */
  score?: number;
  errorCodes: string[];
  /** The whole answer object, as hCaptcha sent it (the full result of `embedResult`). */
  answer: Record<string, unknown>;
}

export interface SiteverifyRequest {
  url: string;
  secret: string;
  /** The user's hCaptcha token. */
  response: string;
  sitekey: string;
  /** Sent only when the site has includeIP. */
  remoteip?: string;
  timeoutMs: number;
}

/** siteverify answers are small; a bigger one is refused rather than buffered. */
const MAX_ANSWER_BYTES = 64 * 1024;

const fail = (detail: string) => new UpstreamCheckError("hcap-token-check", detail);

async function readLimited(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_ANSWER_BYTES) {
      await reader.cancel().catch(() => {});
      throw fail("siteverify answered more than 64 KiB");
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

const optionalString = (v: unknown) => v === undefined || v === null || typeof v === "string";

/** Checks the answer's shape; anything unexpected is an upstream fault, not a verdict. */
function parseAnswer(json: unknown): SiteverifyResult {
  const malformed = fail("siteverify answered malformed JSON");
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw malformed;
  const o = json as Record<string, unknown>;
  const codes = o["error-codes"] ?? [];
  if (
    typeof o.success !== "boolean" ||
    !optionalString(o.challenge_ts) ||
    !optionalString(o.hostname) ||
    !(o.score === undefined || o.score === null || typeof o.score === "number") ||
    !Array.isArray(codes) ||
    !codes.every((code) => typeof code === "string")
  ) {
    throw malformed;
  }
  const result: SiteverifyResult = {
    success: o.success,
    errorCodes: codes as string[],
    answer: o,
  };
  if (typeof o.challenge_ts === "string") result.challenge_ts = o.challenge_ts;
  if (typeof o.hostname === "string") result.hostname = o.hostname;
  if (typeof o.score === "number" && Number.isFinite(o.score)) result.score = o.score;
  return result;
}

/**
 * Asks hCaptcha's siteverify about a token. Resolves with the verdict (success or
 * not); rejects with UpstreamCheckError when no verdict could be obtained in time.
 */
export async function siteverify(request: SiteverifyRequest): Promise<SiteverifyResult> {
  const form = new URLSearchParams({
    secret: request.secret,
    response: request.response,
    sitekey: request.sitekey,
  });
  if (request.remoteip !== undefined) form.set("remoteip", request.remoteip);
  // One deadline for connecting, the answer and its body.
  const signal = AbortSignal.timeout(request.timeoutMs);
  const timedOut = () => fail(`siteverify timed out after ${request.timeoutMs} ms`);
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: "POST",
      body: form,
      signal,
      redirect: "manual",
      headers: { accept: "application/json" },
    });
  } catch {
    throw signal.aborted ? timedOut() : fail("siteverify unreachable");
  }
  if (response.status < 200 || response.status > 299) {
    await response.body?.cancel().catch(() => {});
    throw fail(`siteverify answered HTTP ${response.status}`);
  }
  let text: string;
  try {
    text = await readLimited(response);
  } catch (error) {
    if (error instanceof UpstreamCheckError) throw error;
    throw signal.aborted ? timedOut() : fail("siteverify answer could not be read");
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw fail("siteverify answered malformed JSON");
  }
  return parseAnswer(json);
}
