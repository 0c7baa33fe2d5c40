import type { Context, Middleware, Next } from "koa";
import {
  type ApproovGuardOptions,
  createApproovGuard,
  type GuardDecision,
} from "../guard/approov-guard.js";
import { boundedBytes, nodeHeader, readNodeBody } from "./node-body.js";

/** What a passed check leaves in `ctx.state.approov`. */
export type ApproovState = Extract<GuardDecision, { ok: true }>;

export interface KoaGuardHooks {
  /** Answers a refusal your way; default: the decision's status, headers and JSON body. */
  refuse?(decision: Extract<GuardDecision, { ok: false }>, ctx: Context): void;
}

/** `ctx.request.rawBody` as koa-bodyparser keeps it, or the bytes the guard read itself. */
async function bodyOf(ctx: Context, maxBytes: number): Promise<Uint8Array> {
  const request = ctx.request as typeof ctx.request & { rawBody?: string | Buffer };
  if (request.rawBody !== undefined) return boundedBytes(Buffer.from(request.rawBody), maxBytes);
  const bytes = await readNodeBody(ctx.req, ctx.req.headers, maxBytes);
  request.rawBody = Buffer.from(bytes);
  return bytes;
}

/**
 * Koa middleware: the Approov checks of `options`; a pass sets `ctx.state.approov` and runs
 * the rest, a refusal is answered. The body a DPoP `msgs` covers stays in
 * `ctx.request.rawBody`.
 */
export function approovGuard(options: ApproovGuardOptions, hooks: KoaGuardHooks = {}): Middleware {
  const check = createApproovGuard(options);
  return async (ctx: Context, next: Next) => {
    const decision = await check({
      method: ctx.method,
      url: ctx.href,
      header: (name) => nodeHeader(ctx.headers, name),
      body: (maxBytes) => bodyOf(ctx, maxBytes),
    });
    if (!decision.ok) {
      if (hooks.refuse) return hooks.refuse(decision, ctx);
      ctx.status = decision.status;
      ctx.set(decision.headers);
      ctx.body = decision.body;
      return;
    }
    ctx.state.approov = decision;
    await next();
  };
}
