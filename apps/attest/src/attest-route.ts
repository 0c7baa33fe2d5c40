import { performance } from "node:perf_hooks";
import { ATTEST_PARAMS, embedKey } from "@shapes/protocol";
import type { Context } from "hono";
import type { Account } from "./account.js";
import { newArc } from "./arc.js";
import { AttestError } from "./attest-error.js";
import { clientIp, UNKNOWN_IP } from "./client-ip.js";
import type { DecisionLog, DecisionLogEntry } from "./decision-log.js";
import { decideHcaptcha } from "./hcaptcha-decision.js";
import { siteverify } from "./hcaptcha-siteverify.js";
import type { TokenIssuer } from "./issue-token.js";
import { clip } from "./list-for-detail.js";
import { parseParams } from "./parse-params.js";
import { readBody } from "./read-body.js";
import type { AttestSettings } from "./settings.js";
import { UpstreamCheckError } from "./upstream-check-error.js";
import { validateParams } from "./validate-params.js";

export interface AttestDeps {
  account: Account;
  settings: AttestSettings;
  issuer: TokenIssuer;
  /** Milliseconds since the epoch: token times come from here. */
  now: () => number;
  log: DecisionLog;
}

/** Responses carrying tokens or per-request errors must not be cached anywhere. */
const NO_STORE = { "cache-control": "no-store" };

/**
 * `POST /attest`: the plain-JavaScript web protection flow. Validates the
 * parameters, has hCaptcha check the user's token, and answers a token (valid
 * or decoy, both 200 text/plain) or an error body. One log line per decision.
 */
export function attestRoute(deps: AttestDeps) {
  const { account, settings, issuer } = deps;
  return async (c: Context): Promise<Response> => {
    const started = performance.now();
    const arc = newArc();
    let api: string[] = [];
    const log = (entry: Pick<DecisionLogEntry, "outcome" | "reason" | "codes">) => {
      deps.log({
        time: new Date(deps.now()).toISOString(),
        msg: "attest",
        arc,
        outcome: entry.outcome,
        ...(entry.reason !== undefined ? { reason: entry.reason } : {}),
        codes: entry.codes,
        api,
        durationMs: Math.round(performance.now() - started),
      });
    };

    try {
      const body = await readBody(c.req.raw, {
        maxBytes: settings.maxBodyBytes,
        timeoutMs: settings.bodyTimeoutMs,
      });
      const params = await parseParams(c.req.raw, body);
      api = params
        .filter(([name]) => name === ATTEST_PARAMS.api)
        .slice(0, 10)
        .map(([, value]) => clip(value));
      const request = validateParams(params, account);
      const { siteKey, token, site } = request.hcaptcha;

      const ip = clientIp(c, settings.trustProxy);
      const result = await siteverify({
        url: settings.hcaptchaSiteverifyUrl,
        secret: site.secret,
        response: token,
        sitekey: siteKey,
        ...(site.includeIP && ip !== UNKNOWN_IP ? { remoteip: ip } : {}),
        timeoutMs: settings.upstreamTimeoutMs,
      });
      const decision = decideHcaptcha(result, site);

      const nowMs = deps.now();
      const approovToken = await issuer.issue(
        {
          issuedAt: Math.floor(nowMs / 1000),
          lifetimeSeconds: account.tokenLifetimeSeconds,
          ip,
          arc,
          embed: {
            // A failed result may lack these; fill them so both token kinds look alike.
            [embedKey("hcaptcha", siteKey)]: {
              challenge_ts: result.challenge_ts ?? new Date(nowMs).toISOString(),
              hostname: result.hostname ?? "",
            },
          },
          ...(request.pay !== undefined ? { pay: request.pay } : {}),
        },
        decision.passed,
      );
      if (decision.passed) log({ outcome: "valid", codes: [] });
      else log({ outcome: "invalid", reason: decision.reason, codes: [] });
      return c.text(approovToken, 200, NO_STORE);
    } catch (error) {
      if (error instanceof AttestError) {
        log({ outcome: "error", reason: "request refused", codes: error.codes });
        return c.json(error.toBody(), error.status, NO_STORE);
      }
      if (error instanceof UpstreamCheckError) {
        log({ outcome: "error", reason: error.detail, codes: [error.code] });
        const failure = AttestError.single(502, error.code, error.detail);
        return c.json(failure.toBody(), failure.status, NO_STORE);
      }
      log({ outcome: "error", reason: "internal error", codes: [] });
      throw error;
    }
  };
}
