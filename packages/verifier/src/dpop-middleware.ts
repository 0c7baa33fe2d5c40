import type { ApproovTokenClaims } from "@shapes/protocol";
import { HEADERS } from "@shapes/protocol";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { checkAlgorithmList, DEFAULT_DPOP_ALGORITHMS } from "./dpop-algorithms.js";
import { DpopProofError, type DpopProofErrorCode } from "./dpop-errors.js";
import type { VerifiedDpopProof } from "./dpop-proof-verifier.js";
import { ApproovConfigError } from "./errors.js";
import { checkPublicOrigin, DPOP_PROOF_STATUS, dpopChallenge } from "./refusals.js";
import type { ReplayStore } from "./replay-store.js";
import {
  DEFAULT_MAX_BODY_BYTES,
  RequestBodyTooLargeError,
  requestBodyHash,
} from "./request-body-hash.js";
import { createRouteProofVerifier } from "./route-proof-verifier.js";

/** What the DPoP middleware adds to the token middleware's variables. */
export type DpopProofEnv = {
  Variables: { approovToken: ApproovTokenClaims; dpopProof: VerifiedDpopProof };
};

export interface DpopProofMiddlewareOptions {
  /** Where used jti and nonces are remembered; default a MemoryReplayStore per middleware. */
  replay?: ReplayStore;
  /** Accepted proof algs; default ["ES256"]. Also listed in the challenge's `algs`. */
  allowedAlgorithms?: readonly string[];
  /**
   * The origin clients call when a TLS-terminating proxy sits in front (e.g.
   * "https://api.example.com"): `htu` must then be this origin + the request path.
   */
  publicOrigin?: string;
  /**
   * The request's message hash that a proof's `msgs` must equal; undefined skips the check.
   * Default: base64url SHA-256 of the body (of the empty string for GET and HEAD).
   */
  messageHash?: (c: Context) => Promise<string | undefined> | string | undefined;
  /** Largest body the default messageHash reads (413 beyond); default 64 KiB. */
  maxBodyBytes?: number;
  /** Oldest proof `iat` accepted, in seconds; default 300. */
  maxAgeSeconds?: number;
  /** Clock in ms; default Date.now. */
  now?: () => number;
  /** Proof keys (imported key + thumbprint) remembered, LRU; default DEFAULT_DPOP_KEY_CACHE_SIZE (1 000), 0 = off. */
  keyCacheSize?: number;
}

function badOption(message: string): never {
  throw new ApproovConfigError("bad-option", message);
}

/**
 * DPoP proof check, after approovToken(): the `DPoP` header must be a proof (RFC 9449 4.3)
 * whose key is the token's `cnf.jkt`, whose `ath` is the hash of this Approov token, with
 * an unseen `nonce` and jti, and whose `msgs` (when present) is the request's message hash.
 * Refusals: 401 {"status":"invalid dpop proof"} and `WWW-Authenticate: DPoP
 * error="invalid_dpop_proof", error_description="<code>", algs="ES256"`.
 */
export function dpopProof(options: DpopProofMiddlewareOptions = {}) {
  const algorithms = checkAlgorithmList(options.allowedAlgorithms ?? DEFAULT_DPOP_ALGORITHMS);
  const publicOrigin =
    options.publicOrigin === undefined ? undefined : checkPublicOrigin(options.publicOrigin);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 0) {
    badOption("maxBodyBytes must be a whole number of bytes");
  }
  if (options.messageHash !== undefined && typeof options.messageHash !== "function") {
    badOption("messageHash must be a function");
  }
  const verifyProof = createRouteProofVerifier(options, algorithms);
  const hashOf = options.messageHash ?? ((c: Context) => requestBodyHash(c.req, maxBodyBytes));

  return createMiddleware<DpopProofEnv>(async (c, next) => {
    const claims = c.get("approovToken");
    const token = c.req.header(HEADERS.approovToken);
    // A setup mistake (middleware order), not a client error: it must not become a 401.
    if (!claims || !token) throw new Error("dpopProof() must run after approovToken()");
    const refuse = (code: DpopProofErrorCode) => {
      c.header(HEADERS.wwwAuthenticate, dpopChallenge(code, algorithms));
      return c.json({ status: DPOP_PROOF_STATUS.invalid }, 401);
    };
    // No cnf: the token was not issued to a key, so no proof can show possession of it.
    if (!claims.cnf) return refuse("unbound-token");

    let hash: string | undefined;
    try {
      hash = await hashOf(c);
    } catch (error) {
      if (!(error instanceof RequestBodyTooLargeError)) throw error;
      return c.json({ status: DPOP_PROOF_STATUS.bodyTooLarge }, 413);
    }
    const url = publicOrigin ? `${publicOrigin}${new URL(c.req.url).pathname}` : c.req.url;
    let verified: VerifiedDpopProof;
    try {
      verified = await verifyProof(c.req.header(HEADERS.dpop), {
        method: c.req.method,
        url,
        // The exact header approovToken() verified: `ath` binds the proof to this token.
        accessToken: token,
        expectedJkt: claims.cnf.jkt,
        ...(hash === undefined ? {} : { messageHash: hash }),
      });
    } catch (error) {
      if (!(error instanceof DpopProofError)) throw error;
      return refuse(error.code);
    }
    c.set("dpopProof", verified);
    await next();
  });
}
