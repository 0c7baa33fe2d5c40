import { embedKey } from "@shapes/protocol";
import { type DecisionRequest, decisionRoute, NO_STORE, type RouteDeps } from "./decision-route.js";
import { runHcaptchaCheck } from "./hcaptcha-check.js";
import { enforceRateLimit } from "./rate-limit.js";
import { embedFor, formForApis } from "./token-embed.js";
import { validateAttestParams } from "./validate-params.js";

/**
 * `POST /attest`: the plain-JavaScript web protection flow. Validates the
 * parameters, has hCaptcha check the user's token, and answers a token (valid
 * or decoy, both 200 text/plain) or an error body. One log line per decision.
 */
export function attestRoute(deps: RouteDeps) {
  const { settings } = deps;
  return decisionRoute("attest", deps, async ({ c, arc, params, ip }: DecisionRequest) => {
    const { account, issuer } = deps.store.get();
    const request = validateAttestParams(params, account);
    const { siteKey, site } = request.hcaptcha;
    enforceRateLimit(
      deps.limiter,
      "hcap-token-check",
      embedKey("hcaptcha", siteKey),
      site.rateLimit,
    );
    const { decision, embeds } = await runHcaptchaCheck(request.hcaptcha, ip, settings, deps.now);
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
    const response = c.text(approovToken, 200, NO_STORE);
    return decision.passed
      ? { response, outcome: "valid" }
      : { response, outcome: "invalid", reason: decision.reason };
  });
}
