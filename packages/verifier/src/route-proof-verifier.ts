import type { DpopAlgorithm } from "./dpop-algorithms.js";
import type { DpopProofMiddlewareOptions } from "./dpop-middleware.js";
import { createDpopProofVerifier, type DpopProofVerifier } from "./dpop-proof-verifier.js";
import { MemoryReplayStore } from "./memory-replay-store.js";

/**
 * The proof verifier of one protected route (the Hono middleware and the framework guard
 * alike): unique nonces, the given replay store or one in memory, one key cache for every
 * request of the route. Its options are checked here, once: a bad number or clock is a
 * setup error, not a 500 per request.
 */
export function createRouteProofVerifier(
  options: Pick<DpopProofMiddlewareOptions, "replay" | "maxAgeSeconds" | "now" | "keyCacheSize">,
  algorithms: readonly DpopAlgorithm[],
): DpopProofVerifier {
  return createDpopProofVerifier({
    algorithms,
    replay: options.replay ?? new MemoryReplayStore(),
    uniqueNonce: true,
    ...(options.maxAgeSeconds === undefined ? {} : { maxAgeSeconds: options.maxAgeSeconds }),
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.keyCacheSize === undefined ? {} : { keyCacheSize: options.keyCacheSize }),
  });
}
