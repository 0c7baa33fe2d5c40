import { type DecisionRequest, decisionRoute, NO_STORE, type RouteDeps } from "./decision-route.js";
import { runHcaptchaCheck } from "./hcaptcha-check.js";
import { validateAttestParams } from "./validate-params.js";

/**
 * `POST /attest`: the plain-JavaScript web protection flow. Validates the
 * parameters, has hCaptcha check the user's token, and answers a token (valid
 * or decoy, both 200 text/plain) or an error body. One log line per decision.
 */
export function attestRoute(deps: RouteDeps) {
  const { account, settings, issuer } = deps;
  return decisionRoute("attest", deps, async ({ c, arc, params, ip }: DecisionRequest) => {
    const request = validateAttestParams(params, account);
    const { decision, embed } = await runHcaptchaCheck(request.hcaptcha, ip, settings, deps.now);
    const nowMs = deps.now();
    const approovToken = await issuer.issue(
      {
        issuedAt: Math.floor(nowMs / 1000),
        lifetimeSeconds: account.tokenLifetimeSeconds,
        ip,
        arc,
        embed,
        ...(request.pay !== undefined ? { pay: request.pay } : {}),
      },
      decision.passed,
    );
    const response = c.text(approovToken, 200, NO_STORE);
    return decision.passed
      ? { response, outcome: "valid" }
      : { response, outcome: "invalid", reason: decision.reason };
  });
}
