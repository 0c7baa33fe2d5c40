import type { TokenAnswer } from "@shapes/protocol";
import { ErrorCollector } from "../http/attest-error.js";
import { runChecks } from "../integrations/run-checks.js";
import { sessionTimes, tokenLifetimeSeconds } from "../sdk/session-expiry.js";
import { checkSessionProof, type SessionProof } from "../sdk/session-proof.js";
import { issueSessionTokens, newSessionId } from "../tokens/session-tokens.js";
import { checkRequesterOf } from "./check-requester.js";
import { answer, type DecisionContext, NO_STORE, type RouteDeps } from "./decision-route.js";
import { validateCheckParams } from "./validate-params.js";

export interface SdkRouteDeps extends RouteDeps {
  proof: SessionProof;
}

/**
 * `POST /token`: the SDK's first fetch of a session, or a fresh human check. The DPoP
 * proof and the parameters are checked together (one error answer lists both) and
 * before any upstream check, so a request refused for its nonce does not spend the user's
 * single-use captcha token. Answers tokens bound to the proof's key, a refresh token
 * and the expiries (one per checked result); a failed check gets the same shape with decoys.
 */
export function sdkTokenRoute(deps: SdkRouteDeps) {
  return async (c: DecisionContext): Promise<Response> => {
    const { arc, params, ip } = c.var;
    const { account, issuer, refreshTokens } = deps.store.get();
    const e = new ErrorCollector();
    const jkt = await checkSessionProof(c, deps.proof, e);
    const request = validateCheckParams(params, account, "token", e);
    e.throwIfAny();
    if (jkt === undefined || request === undefined) throw new Error("unchecked /token request");

    const { decision, embeds, results } = await runChecks(
      request.checks,
      checkRequesterOf(c.req.raw.headers, ip, request.apis),
      deps,
    );
    const issuedAt = Math.floor(deps.now() / 1000);
    const session = sessionTimes(issuedAt, account.refreshTokenLifetimeSeconds, results);
    const sid = newSessionId();
    c.set("sid", sid);
    const tokens = await issueSessionTokens(issuer, account, {
      apis: request.apis,
      issuedAt,
      lifetimeSeconds: tokenLifetimeSeconds(
        issuedAt,
        account.tokenLifetimeSeconds,
        session.endSeconds,
      ),
      ip,
      arc,
      embeds,
      ...(request.pay !== undefined ? { pay: request.pay } : {}),
      jkt,
      passed: decision.passed,
    });
    const refreshToken = refreshTokens.seal({
      jkt,
      iat: issuedAt,
      exp: session.endSeconds,
      sid,
      passed: decision.passed,
      embed: embeds.minimal,
      ...(Object.keys(embeds.full).length > 0 ? { embedFull: embeds.full } : {}),
      ip,
      expiries: session.expiries,
    });
    const body: TokenAnswer = { tokens, refreshToken, expiries: session.expiries };
    const response = c.json(body, 200, NO_STORE);
    return answer(
      c,
      decision.passed ? { outcome: "valid" } : { outcome: "invalid", reason: decision.reason },
      response,
    );
  };
}
