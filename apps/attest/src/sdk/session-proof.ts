import { HEADERS } from "@shapes/protocol";
import {
  createDpopProofVerifier,
  DpopProofError,
  type DpopProofVerifier,
  type ReplayStore,
} from "@shapes/verifier";
import type { Context } from "hono";
import { AttestError, type ErrorCollector } from "../http/attest-error.js";
import { STORE_RETRY_AFTER_SECONDS } from "../shared-state/rate-limit.js";
import { SharedStoreUnavailableError } from "../shared-state/shared-store.js";
import type { DpopNonces, NonceProblem } from "./dpop-nonce.js";
import type { SdkSettings } from "./sdk-settings.js";

/** What the session proof check is built from, once per app. */
export interface SessionProofDeps {
  sdk: SdkSettings;
  nonces: DpopNonces;
  replay: ReplayStore;
  now: () => number;
}

/** The app's session proof check: one verifier (options checked once, one key cache). */
export interface SessionProof {
  verify: DpopProofVerifier;
  nonces: DpopNonces;
  publicOrigin: string | undefined;
}

/**
 * Builds the verifier when the app is created: its fixed options are checked there (a bad
 * one is a setup error, not a refusal per request) and proof keys are cached per app.
 */
export function createSessionProof(deps: SessionProofDeps): SessionProof {
  const verify = createDpopProofVerifier({
    algorithms: ["ES256"],
    maxAgeSeconds: deps.sdk.dpopMaxAgeSeconds,
    now: deps.now,
    replay: deps.replay,
  });
  return { verify, nonces: deps.nonces, publicOrigin: deps.sdk.publicOrigin };
}

/** The URL a proof's `htu` must name: the public origin when configured, else the request's. */
function requestUrl(c: Context, publicOrigin: string | undefined): string {
  const url = new URL(c.req.url);
  return publicOrigin === undefined ? url.href : `${publicOrigin}${url.pathname}`;
}

/**
 * Checks the request's DPoP proof (RFC 9449, ES256 only, server nonce required) and
 * returns the session key's thumbprint. A refused proof adds `aprv-invalid-nonce`
 * (missing / not issued / expired nonce) or `aprv-invalid-dpop-token` (detail: the
 * verifier's code, never the proof) to `e` and returns undefined. When the replay store
 * cannot answer (Redis down), the proof is refused at once: 503 `aprv-invalid-dpop-token`,
 * Retry-After 1 (fail closed: an unchecked proof is never accepted).
 */
export async function checkSessionProof(
  c: Context,
  proof: SessionProof,
  e: ErrorCollector,
): Promise<string | undefined> {
  let nonceProblem: NonceProblem | undefined;
  try {
    const { jkt } = await proof.verify(c.req.header(HEADERS.dpop), {
      method: c.req.method,
      url: requestUrl(c, proof.publicOrigin),
      nonce: (nonce) => {
        nonceProblem = proof.nonces.check(nonce);
        return nonceProblem === undefined;
      },
    });
    return jkt;
  } catch (error) {
    if (error instanceof SharedStoreUnavailableError) {
      throw new AttestError(
        503,
        { "aprv-invalid-dpop-token": "replay check unavailable, try again" },
        STORE_RETRY_AFTER_SECONDS,
      );
    }
    if (!(error instanceof DpopProofError)) throw error;
    if (error.code === "missing-nonce") e.add("aprv-invalid-nonce", "missing");
    else if (error.code === "bad-nonce") e.add("aprv-invalid-nonce", nonceProblem ?? "not issued");
    else e.add("aprv-invalid-dpop-token", error.code);
    return undefined;
  }
}
