import type { RefreshAnswer } from "@shapes/protocol";
import { ErrorCollector } from "../http/attest-error.js";
import { integrationsOfEmbedKeys } from "../observability/metric-labels.js";
import { tokenLifetimeSeconds } from "../sdk/session-expiry.js";
import { checkSessionProof } from "../sdk/session-proof.js";
import { type RefreshClaims, RefreshTokenError } from "../tokens/refresh-token.js";
import { issueSessionTokens } from "../tokens/session-tokens.js";
import { answer, type DecisionContext, NO_STORE } from "./decision-route.js";
import type { SdkRouteDeps } from "./sdk-token-route.js";
import { validateRefreshParams } from "./validate-params.js";

/**
 * `POST /refresh`: new short-lived Approov tokens for a session, without a new human
 * check (no siteverify call). The refresh token must be ours, unexpired and bound to
 * the proof's key. Tokens are valid when the session's check passed, decoys otherwise;
 * none outlives the session.
 */
export function sdkRefreshRoute(deps: SdkRouteDeps) {
  return async (c: DecisionContext): Promise<Response> => {
    const { arc, params, ip } = c.var;
    const { account, issuer, refreshTokens } = deps.store.get();
    const e = new ErrorCollector();
    const jkt = await checkSessionProof(c, deps.proof, e);
    const request = validateRefreshParams(params, account, e);
    let session: RefreshClaims | undefined;
    try {
      session = refreshTokens.open(request.refreshToken, jkt);
      c.set("sid", session.sid);
      // The session's checks (its embed keys) are what these tokens stand on.
      c.set("integrations", integrationsOfEmbedKeys(Object.keys(session.embed)));
    } catch (error) {
      if (!(error instanceof RefreshTokenError)) throw error;
      e.add("aprv-invalid-refresh-token", error.problem);
    }
    e.throwIfAny();
    if (jkt === undefined || session === undefined) throw new Error("unchecked /refresh request");

    const issuedAt = Math.floor(deps.now() / 1000);
    const tokens = await issueSessionTokens(issuer, account, {
      apis: request.apis,
      issuedAt,
      lifetimeSeconds: tokenLifetimeSeconds(issuedAt, account.tokenLifetimeSeconds, session.exp),
      ip,
      arc,
      embeds: { minimal: session.embed, full: session.embedFull ?? {} },
      ...(request.pay !== undefined ? { pay: request.pay } : {}),
      jkt,
      passed: session.passed,
    });
    return answer(
      c,
      session.passed
        ? { outcome: "valid" }
        : { outcome: "invalid", reason: "the session's human check failed" },
      c.json({ tokens, expiries: session.expiries } satisfies RefreshAnswer, 200, NO_STORE),
    );
  };
}
