import { runChecks } from "../integrations/run-checks.js";
import { embedFor, formForApis } from "../tokens/token-embed.js";
import { checkRequesterOf } from "./check-requester.js";
import { answer, type DecisionContext, NO_STORE, type RouteDeps } from "./decision-route.js";
import { validateAttestParams } from "./validate-params.js";

/**
 * `POST /attest`: the plain-JavaScript web protection flow. Validates the
 * parameters, runs every supplied integration's check, and answers
 * a token (valid only if every check passed, else a decoy; both 200 text/plain) or an
 * error body (decision-errors.ts).
 */
export function attestRoute(deps: RouteDeps) {
  return async (c: DecisionContext): Promise<Response> => {
    const { arc, params, ip } = c.var;
    const { account, issuer } = deps.store.get();
    const request = validateAttestParams(params, account);
    const { decision, embeds } = await runChecks(
      request.checks,
      checkRequesterOf(c.req.raw.headers, ip, request.apis),
      deps,
    );
    const nowMs = deps.now();
    const form = formForApis(account, request.apis);
    const approovToken = await issuer.issue(
      {
        issuedAt: Math.floor(nowMs / 1000),
        lifetimeSeconds: account.tokenLifetimeSeconds,
        ip,
        arc,
        embed: embedFor(embeds, form),
        ...(request.pay !== undefined ? { pay: request.pay } : {}),
      },
      decision.passed,
      form,
    );
    return answer(
      c,
      decision.passed ? { outcome: "valid" } : { outcome: "invalid", reason: decision.reason },
      c.text(approovToken, 200, NO_STORE),
    );
  };
}
