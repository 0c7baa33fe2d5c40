import { type UpstreamCheckCode, UpstreamCheckError } from "../upstream-check-error.js";
import { answerJson, upstreamRequest } from "../upstream-request.js";

/** The parts of a siteverify answer (every siteverify service's) the service uses. */
export interface SiteverifyResult {
  success: boolean;
  challenge_ts?: string;
  hostname?: string;
  /** A score, as the service defines it (a risk, or a probability of being human). */
  score?: number;
  /** The action the page named, where the service has actions. */
  action?: string;
  errorCodes: string[];
  /** The whole answer object, as the service sent it (the full result of `embedResult`). */
  answer: Record<string, unknown>;
}

export interface SiteverifyRequest {
  url: string;
  /** `secret`, `response`, and `remoteip` / `sitekey` where they apply. */
  form: Record<string, string>;
  timeoutMs: number;
  /** The integration's token-check code, for failures. */
  code: UpstreamCheckCode;
}

const optionalString = (v: unknown) => v === undefined || v === null || typeof v === "string";

/** Checks the answer's shape; anything unexpected is an upstream fault, not a verdict. */
function parseAnswer(json: unknown, code: UpstreamCheckCode): SiteverifyResult {
  const malformed = new UpstreamCheckError(code, "siteverify answered malformed JSON");
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw malformed;
  const o = json as Record<string, unknown>;
  const codes = o["error-codes"] ?? [];
  if (
    typeof o.success !== "boolean" ||
    !optionalString(o.challenge_ts) ||
    !optionalString(o.hostname) ||
    !optionalString(o.action) ||
    !(o.score === undefined || o.score === null || typeof o.score === "number") ||
    !Array.isArray(codes) ||
    !codes.every((c) => typeof c === "string")
  ) {
    throw malformed;
  }
  const result: SiteverifyResult = { success: o.success, errorCodes: codes as string[], answer: o };
  if (typeof o.challenge_ts === "string") result.challenge_ts = o.challenge_ts;
  if (typeof o.hostname === "string") result.hostname = o.hostname;
  if (typeof o.action === "string") result.action = o.action;
  if (typeof o.score === "number" && Number.isFinite(o.score)) result.score = o.score;
  return result;
}

/**
 * Asks a siteverify endpoint (every siteverify service speaks the same protocol) about a
 * token. Resolves with the verdict (success or not); rejects with UpstreamCheckError when
 * no verdict could be obtained in time.
 */
export async function siteverify(request: SiteverifyRequest): Promise<SiteverifyResult> {
  const target = { code: request.code, name: "siteverify" };
  const answer = await upstreamRequest({
    ...target,
    url: request.url,
    init: {
      method: "POST",
      body: new URLSearchParams(request.form),
      headers: { accept: "application/json" },
    },
    timeoutMs: request.timeoutMs,
  });
  if (answer.status < 200 || answer.status > 299) {
    throw new UpstreamCheckError(request.code, `siteverify answered HTTP ${answer.status}`);
  }
  return parseAnswer(answerJson(answer, target), request.code);
}
