import type { ErrorCode } from "@shapes/protocol";
import { listForDetail } from "../../http/list-for-detail.js";
import type { CheckDecision } from "../check-outcome.js";
import { UpstreamCheckError } from "../upstream-check-error.js";
import type { SiteverifySite } from "./captcha-site.js";
import type { SiteverifyResult } from "./siteverify.js";

/** What differs between siteverify services in judging an answer. */
export interface SiteverifyRules<Site extends SiteverifySite = SiteverifySite> {
  /** Names the service in a failed check's reason (`<name> success=false (...)`). */
  name: string;
  /** The service's token-check code, for answers that blame our configuration. */
  code: ErrorCode;
  /**
   * siteverify codes that blame our request or configuration (the site's secret), not
   * the user's token: an error for the operator rather than a failed check.
   */
  configErrorCodes: ReadonlySet<string>;
  /** Put before the other reasons (some services' name the service, some are bare). */
  reasonPrefix: string;
  /** The answer's score as a probability of being human (services with scores). */
  humanity?(score: number): number;
  /** A rule between the domain and score rules (e.g. allowed actions). */
  extra?(result: Omit<SiteverifyResult, "answer">, site: Site): CheckDecision | undefined;
}

/**
 * The verdict on a success=false answer: UpstreamCheckError (`code`) when any of its codes
 * blames our request or configuration, an error for the operator; otherwise a failed
 * check, its reason naming the service and the codes.
 */
export function unsuccessfulDecision(
  result: Pick<SiteverifyResult, "errorCodes">,
  rules: Pick<SiteverifyRules, "name" | "code" | "configErrorCodes">,
): CheckDecision {
  const configCodes = result.errorCodes.filter((c) => rules.configErrorCodes.has(c));
  if (configCodes.length > 0) {
    throw new UpstreamCheckError(rules.code, `siteverify: ${listForDetail(configCodes)}`);
  }
  const codes = result.errorCodes.length > 0 ? ` (${listForDetail(result.errorCodes)})` : "";
  return { passed: false, reason: `${rules.name} success=false${codes}` };
}

/**
 * Applies a site's rules to a siteverify answer. A passed check needs success, an allowed
 * hostname (when domains are configured; compared as the service reports it), the
 * service's extra rule, and enough humanity: an answer without a score cannot meet a
 * non-zero minimum.
 */
export function decideSiteverify<Site extends SiteverifySite>(
  result: Omit<SiteverifyResult, "answer">,
  site: Site,
  rules: SiteverifyRules<Site>,
): CheckDecision {
  if (!result.success) return unsuccessfulDecision(result, rules);
  const fail = (reason: string): CheckDecision => ({
    passed: false,
    reason: `${rules.reasonPrefix}${reason}`,
  });
  if (site.domains.length > 0) {
    const hostname = result.hostname?.toLowerCase();
    if (hostname === undefined || !site.domains.includes(hostname)) {
      return fail("hostname not allowed");
    }
  }
  const extra = rules.extra?.(result, site);
  if (extra) return extra;
  const minScore = site.minScore ?? 0;
  if (minScore > 0) {
    if (result.score === undefined || !rules.humanity) return fail("min score (no score)");
    if (rules.humanity(result.score) < minScore) return fail("min score");
  }
  return { passed: true };
}
