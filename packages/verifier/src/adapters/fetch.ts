import {
  type ApproovGuardOptions,
  createApproovGuard,
  type GuardDecision,
} from "../guard/approov-guard.js";
import { RequestBodyTooLargeError, readStream } from "../request-body-hash.js";

export type ApproovPass = Extract<GuardDecision, { ok: true }>;
export type ApproovRefusal = Extract<GuardDecision, { ok: false }>;

/** The body of a Web Request, bounded, read from a clone so the handler can read it again. */
async function bodyOf(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) {
    throw new RequestBodyTooLargeError(maxBytes);
  }
  const body = request.clone().body;
  return body ? readStream(body, maxBytes) : new Uint8Array(0);
}

/** The checks of `options` on a Web `Request` (Next.js route handlers and middleware, Workers). */
export function approovCheck(options: ApproovGuardOptions) {
  const check = createApproovGuard(options);
  return async (request: Request): Promise<GuardDecision> =>
    check({
      method: request.method,
      url: request.url,
      header: (name) => request.headers.get(name) ?? undefined,
      body: (maxBytes) => bodyOf(request, maxBytes),
    });
}

/** The refusal as a Response: the decision's status, headers and JSON body. */
export function refusalResponse(decision: ApproovRefusal): Response {
  return Response.json(decision.body, { status: decision.status, headers: decision.headers });
}

/**
 * Wraps a route handler (`export const GET = withApproov(options, handler)` in Next.js):
 * the handler runs only for requests that pass, with the claims; refusals are answered.
 */
export function withApproov<Args extends unknown[]>(
  options: ApproovGuardOptions & { refuse?(decision: ApproovRefusal): Response },
  handler: (request: Request, approov: ApproovPass, ...args: Args) => Response | Promise<Response>,
): (request: Request, ...args: Args) => Promise<Response> {
  const check = approovCheck(options);
  const refuse = options.refuse ?? refusalResponse;
  return async (request, ...args) => {
    const decision = await check(request);
    return decision.ok ? handler(request, decision, ...args) : refuse(decision);
  };
}
