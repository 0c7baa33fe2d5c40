import { Readable } from "node:stream";
import type { FastifyInstance, FastifyPluginCallback, FastifyReply, FastifyRequest } from "fastify";
import {
  type ApproovGuardOptions,
  createApproovGuard,
  type GuardDecision,
} from "../guard/approov-guard.js";
import { DPOP_PROOF_STATUS } from "../refusals.js";
import { DEFAULT_MAX_BODY_BYTES, RequestBodyTooLargeError } from "../request-body-hash.js";
import { boundedBytes, readNodeBody } from "./node-body.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The passed check's claims (and DPoP proof), on the routes the plugin guards. */
    approov: Extract<GuardDecision, { ok: true }> | null;
    /** The body's exact bytes, kept for a DPoP proof's `msgs`. */
    approovRawBody: Uint8Array | null;
  }
}

export type FastifyGuardOptions = ApproovGuardOptions & {
  /** Answers a refusal your way; default: the decision's status, headers and JSON body. */
  refuse?(
    decision: Extract<GuardDecision, { ok: false }>,
    request: FastifyRequest,
    reply: FastifyReply,
  ): FastifyReply;
};

/**
 * A Fastify plugin guarding every route of the scope it is registered in: a `preParsing`
 * hook keeps the body's bytes (Fastify still parses them), a `preHandler` hook runs the
 * checks and decorates `request.approov`, or answers the refusal.
 */
const plugin: FastifyPluginCallback<FastifyGuardOptions> = (
  fastify: FastifyInstance,
  options,
  done,
) => {
  const check = createApproovGuard(options);
  const maxBytes = options.dpop?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  fastify.decorateRequest("approov", null);
  fastify.decorateRequest("approovRawBody", null);
  if (options.dpop) {
    fastify.addHook("preParsing", async (request, reply, payload) => {
      try {
        const bytes = await readNodeBody(payload, request.headers, maxBytes);
        request.approovRawBody = bytes;
        // Fastify parses the same bytes.
        return Readable.from([Buffer.from(bytes)]);
      } catch (error) {
        if (!(error instanceof RequestBodyTooLargeError)) throw error;
        return reply.code(413).send({ status: DPOP_PROOF_STATUS.bodyTooLarge });
      }
    });
  }
  // Callback style: a decision known at once (a repeated token) costs no promise.
  fastify.addHook("preHandler", (request, reply, done) => {
    const answer = (decision: GuardDecision) => {
      if (decision.ok) {
        request.approov = decision;
        return done();
      }
      if (options.refuse) options.refuse(decision, request, reply);
      else reply.code(decision.status).headers(decision.headers).send(decision.body);
    };
    const decision = check({
      method: request.method,
      url: `${request.protocol}://${request.host}${request.url}`,
      header: (name) => {
        const value = request.headers[name.toLowerCase()];
        return Array.isArray(value) ? value[0] : value;
      },
      body: async (limit) => boundedBytes(request.approovRawBody ?? new Uint8Array(0), limit),
    });
    if (decision instanceof Promise) decision.then(answer, done);
    else answer(decision);
  });
  done();
};

// As fastify-plugin does: the hooks apply to the scope the plugin is registered in.
(plugin as unknown as Record<symbol, boolean>)[Symbol.for("skip-override")] = true;

export const approovPlugin = plugin;
