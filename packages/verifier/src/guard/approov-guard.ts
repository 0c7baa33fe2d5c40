import type { ApproovTokenClaims } from "@shapes/protocol";
import { HEADERS } from "@shapes/protocol";
import { checkAlgorithmList, DEFAULT_DPOP_ALGORITHMS } from "../dpop-algorithms.js";
import { DpopProofError } from "../dpop-errors.js";
import type { DpopProofMiddlewareOptions } from "../dpop-middleware.js";
import type { VerifiedDpopProof } from "../dpop-proof-verifier.js";
import { ApproovConfigError, ApproovTokenError } from "../errors.js";
import {
  APPROOV_TOKEN_STATUS,
  type ApproovTokenCheckOptions,
  checkPublicOrigin,
  DPOP_PROOF_STATUS,
  dpopChallenge,
  TOKEN_BINDING_STATUS,
} from "../refusals.js";
import {
  DEFAULT_MAX_BODY_BYTES,
  EMPTY_MESSAGE_HASH,
  messageHash,
  RequestBodyTooLargeError,
} from "../request-body-hash.js";
import { createRouteProofVerifier } from "../route-proof-verifier.js";
import { checkTokenBinding, TokenBindingError } from "../token-binding.js";
import { CHANNEL_REQUIREMENTS, checkTokenChannel, TokenChannelError } from "../token-channel.js";
import { createApproovTokenVerifier } from "../verify-token.js";

/** One request as any framework sees it: what the checks read, nothing more. */
export interface GuardRequest {
  method: string;
  /** The absolute URL the request arrived on (scheme, host, path and query). */
  url: string;
  header(name: string): string | undefined;
  /**
   * The body's bytes, at most `maxBytes` (throws RequestBodyTooLargeError beyond), read
   * only when a DPoP proof's `msgs` needs them; the adapter keeps them for the handler.
   */
  body(maxBytes: number): Promise<Uint8Array>;
}

/**
 * The checks of one protected route: the Approov token (always; JWS or JWE, key rotation,
 * channel), token binding (`binding`: `pay` against a header) and DPoP (`dpop`: proof,
 * `ath`, `cnf.jkt`, `htm`/`htu` with `publicOrigin` behind proxies, replay, `msgs`).
 */
export type ApproovGuardOptions = ApproovTokenCheckOptions & {
  binding?: { header?: string };
  dpop?: Omit<DpopProofMiddlewareOptions, "messageHash">;
};

/** What the checks decided: the claims (and proof), or a refusal to send as it is. */
export type GuardDecision =
  | { ok: true; claims: ApproovTokenClaims; dpop?: VerifiedDpopProof }
  | {
      ok: false;
      status: 400 | 401 | 413;
      /** Why, as a stable code (never sent by default: one answer per status). */
      code: string;
      /** The JSON body the Hono middleware answers (`{"status": ...}`). */
      body: { status: string };
      headers: Record<string, string>;
    };

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const refusal = (
  status: 400 | 401 | 413,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): GuardDecision => ({ ok: false, status, code, body: { status: message }, headers });

/**
 * The framework-neutral check every adapter runs: build it once per route (one key import,
 * one token cache, one replay store), call it per request: a decision, or a promise of one
 * when the token or a DPoP proof must be verified. Refusals are the Hono middleware's,
 * status for status and body for body.
 */
export function createApproovGuard(
  options: ApproovGuardOptions,
): (request: GuardRequest) => GuardDecision | Promise<GuardDecision> {
  const channel = options.channel ?? "any";
  if (!CHANNEL_REQUIREMENTS.includes(channel)) {
    throw new ApproovConfigError("bad-option", 'channel must be "any", "mobile" or "web"');
  }
  const verify = "verify" in options ? options.verify : createApproovTokenVerifier(options);
  const bindingHeader = options.binding ? (options.binding.header ?? "Authorization") : undefined;
  if (bindingHeader !== undefined && !HEADER_NAME.test(bindingHeader)) {
    throw new ApproovConfigError("bad-option", "binding.header must be an HTTP header name");
  }
  const dpop = options.dpop ? dpopCheck(options.dpop) : undefined;

  /** The checks after the token's signature: channel, binding, then DPoP (async). */
  const afterToken = (
    request: GuardRequest,
    token: string,
    claims: ApproovTokenClaims,
  ): GuardDecision | Promise<GuardDecision> => {
    try {
      checkTokenChannel(claims, channel);
    } catch (error) {
      if (!(error instanceof TokenChannelError)) throw error;
      return refusal(401, "wrong-channel", APPROOV_TOKEN_STATUS.wrongChannel);
    }
    if (bindingHeader !== undefined) {
      try {
        checkTokenBinding(claims, request.header(bindingHeader));
      } catch (error) {
        if (!(error instanceof TokenBindingError)) throw error;
        return refusal(401, error.code, TOKEN_BINDING_STATUS.invalid);
      }
    }
    return dpop ? dpop(request, token, claims) : { ok: true, claims };
  };

  // A repeated token (the verifier's cache) without DPoP is decided synchronously: no
  // promise per request on the hot path, as the Hono middleware does.
  return (request) => {
    const token = request.header(HEADERS.approovToken);
    if (!token) return refusal(400, "missing", APPROOV_TOKEN_STATUS.missing);
    const hit = verify.cached?.(token);
    if (hit) return afterToken(request, token, hit);
    return verify(token).then(
      (claims) => afterToken(request, token, claims),
      (error: unknown) => {
        if (!(error instanceof ApproovTokenError)) throw error;
        return error.code === "missing"
          ? refusal(400, error.code, APPROOV_TOKEN_STATUS.missing)
          : refusal(401, error.code, APPROOV_TOKEN_STATUS.invalid);
      },
    );
  };
}

/** The DPoP part, set up once: its options checked, one verifier with its replay store. */
function dpopCheck(options: Omit<DpopProofMiddlewareOptions, "messageHash">) {
  const algorithms = checkAlgorithmList(options.allowedAlgorithms ?? DEFAULT_DPOP_ALGORITHMS);
  const publicOrigin =
    options.publicOrigin === undefined ? undefined : checkPublicOrigin(options.publicOrigin);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 0) {
    throw new ApproovConfigError("bad-option", "maxBodyBytes must be a whole number of bytes");
  }
  const verifyProof = createRouteProofVerifier(options, algorithms);
  const refuse = (code: DpopProofError["code"]) =>
    refusal(401, code, DPOP_PROOF_STATUS.invalid, {
      [HEADERS.wwwAuthenticate]: dpopChallenge(code, algorithms),
    });

  return async (
    request: GuardRequest,
    token: string,
    claims: ApproovTokenClaims,
  ): Promise<GuardDecision> => {
    // No cnf: the token was not issued to a key, so no proof can show possession of it.
    if (!claims.cnf) return refuse("unbound-token");
    let hash: string;
    try {
      hash =
        request.method === "GET" || request.method === "HEAD"
          ? EMPTY_MESSAGE_HASH
          : messageHash(await request.body(maxBodyBytes));
    } catch (error) {
      if (!(error instanceof RequestBodyTooLargeError)) throw error;
      return refusal(413, error.code, DPOP_PROOF_STATUS.bodyTooLarge);
    }
    const url = publicOrigin ? `${publicOrigin}${new URL(request.url).pathname}` : request.url;
    try {
      const proof = await verifyProof(request.header(HEADERS.dpop), {
        method: request.method,
        url,
        accessToken: token,
        expectedJkt: claims.cnf.jkt,
        messageHash: hash,
      });
      return { ok: true, claims, dpop: proof };
    } catch (error) {
      if (!(error instanceof DpopProofError)) throw error;
      return refuse(error.code);
    }
  };
}
