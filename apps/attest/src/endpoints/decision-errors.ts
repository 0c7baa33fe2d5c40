import { HEADERS } from "@shapes/protocol";
import type { Context, ErrorHandler } from "hono";
import { AttestError } from "../http/attest-error.js";
import { BodyReadError } from "../http/read-body.js";
import { UpstreamCheckError, UpstreamCheckErrors } from "../integrations/upstream-check-error.js";
import type { DecisionEnv } from "./decision-route.js";

/** RFC 9449 section 8: the client is to retry with the DPoP-Nonce sent alongside. */
const USE_DPOP_NONCE = 'DPoP error="use_dpop_nonce"';

/**
 * The answer an error of a decision request stands for: its own refusal, an unreadable
 * body in the seed's codes, or a 502 listing every upstream check that could not be made.
 * Undefined for anything else: a bug, answered as a bare 500.
 */
export function attestErrorOf(error: Error): AttestError | undefined {
  if (error instanceof AttestError) return error;
  if (error instanceof BodyReadError) return AttestError.fromBody(error);
  if (error instanceof UpstreamCheckError || error instanceof UpstreamCheckErrors) {
    const failures = error instanceof UpstreamCheckError ? [error] : error.failures;
    return new AttestError(502, Object.fromEntries(failures.map((f) => [f.code, f.detail])));
  }
  return undefined;
}

function errorHeaders(error: AttestError): Record<string, string> {
  const headers: Record<string, string> = { "cache-control": "no-store" };
  if (error.codes.includes("aprv-invalid-nonce")) headers[HEADERS.wwwAuthenticate] = USE_DPOP_NONCE;
  if (error.retryAfterSeconds !== undefined) headers["retry-after"] = `${error.retryAfterSeconds}`;
  return headers;
}

/**
 * The decision endpoints' one error mapping: `{message, errors}` with the seed's codes, or
 * `unexpected` (the service's bare 500) for anything else.
 */
export function decisionErrors(
  unexpected: (error: Error, c: Context) => Response,
): ErrorHandler<DecisionEnv> {
  return (error, c) => {
    const refusal = attestErrorOf(error);
    if (refusal === undefined) return unexpected(error, c);
    return c.json(refusal.toBody(), refusal.status, errorHeaders(refusal));
  };
}
