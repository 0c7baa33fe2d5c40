import type { NextFunction, Request, RequestHandler, Response } from "express";
import {
  type ApproovGuardOptions,
  createApproovGuard,
  type GuardDecision,
} from "../guard/approov-guard.js";
import { boundedBytes, nodeHeader, readNodeBody } from "./node-body.js";

/** What a passed check leaves in `res.locals.approov`. */
export type ApproovLocals = Extract<GuardDecision, { ok: true }>;

/** A request whose raw body a parser kept (see keepRawBody). */
type WithRawBody = Request & { rawBody?: Buffer };

/**
 * For `express.json({ verify: keepRawBody })`: keeps the exact bytes the JSON was parsed
 * from, which a DPoP proof's `msgs` covers. Without a body parser in front, the guard reads
 * the body itself and leaves it in `req.rawBody`.
 */
export function keepRawBody(req: unknown, _res: unknown, buffer: Buffer): void {
  (req as WithRawBody).rawBody = buffer;
}

export interface ExpressGuardHooks {
  /** Answers a refusal your way; default: the decision's status, headers and JSON body. */
  refuse?(decision: Extract<GuardDecision, { ok: false }>, req: Request, res: Response): void;
}

async function bodyOf(req: WithRawBody, maxBytes: number): Promise<Uint8Array> {
  if (Buffer.isBuffer(req.rawBody)) return boundedBytes(req.rawBody, maxBytes);
  if (Buffer.isBuffer(req.body)) return boundedBytes(req.body, maxBytes);
  const bytes = await readNodeBody(req, req.headers, maxBytes);
  req.rawBody = Buffer.from(bytes);
  return bytes;
}

/**
 * Express (and Connect-style) middleware: the Approov checks of `options` on each request;
 * a pass puts the claims (and DPoP proof) in `res.locals.approov`, a refusal is answered.
 */
export function approovGuard(
  options: ApproovGuardOptions,
  hooks: ExpressGuardHooks = {},
): RequestHandler {
  const check = createApproovGuard(options);
  return (req: Request, res: Response, next: NextFunction) => {
    const answer = (decision: GuardDecision) => {
      if (decision.ok) {
        res.locals.approov = decision;
        next();
      } else if (hooks.refuse) hooks.refuse(decision, req, res);
      else res.status(decision.status).set(decision.headers).json(decision.body);
    };
    const decision = check({
      method: req.method,
      // req.protocol follows Express's "trust proxy"; behind a TLS proxy use dpop.publicOrigin.
      url: `${req.protocol}://${req.get("host") ?? "localhost"}${req.originalUrl}`,
      header: (name) => nodeHeader(req.headers, name),
      body: (maxBytes) => bodyOf(req as WithRawBody, maxBytes),
    });
    if (decision instanceof Promise) decision.then(answer, next);
    else answer(decision);
  };
}
