import type { CaptchaEmbed, IntegrationDescriptor } from "@shapes/protocol";
import type { ErrorCollector } from "../../http/attest-error.js";
import { UNKNOWN_IP } from "../../http/client-ip.js";
import type { GroupedParams } from "../../http/group-params.js";
import type { AttestSettings } from "../../settings.js";
import { fullResult } from "../../tokens/token-embed.js";
import type { CheckDecision, CheckOutcome } from "../check-outcome.js";
import { decoyHostname, type HostForm } from "../decoy-hostname.js";
import {
  type AnyIntegrationUnit,
  type CheckContext,
  defineIntegration,
  type IntegrationSettingsSpec,
  type RequestedCheck,
} from "../integration.js";
import type { SiteverifySite } from "./captcha-site.js";
import { decideSiteverify, type SiteverifyRules } from "./decide.js";
import { type SiteverifyResult, siteverify } from "./siteverify.js";

/** The minimal entry of a decoy, already filled (challenge_ts as the service writes it). */
export interface SiteverifyDecoyEntry extends CaptchaEmbed {
  challenge_ts: string;
  hostname: string;
}

/** What one siteverify-based service (a captcha checked by a siteverify POST) is made of. */
export interface SiteverifyService<Site extends SiteverifySite, Extras> {
  descriptor: IntegrationDescriptor;
  parseEntry(raw: unknown, prefix: string): Site;
  /** The service's own further parameters (default: none). */
  readParams?(p: GroupedParams, e: ErrorCollector): Extras;
  /** Its siteverify endpoint. */
  url(settings: AttestSettings): string;
  /** Form fields besides secret, response and remoteip. */
  form?(request: RequestedCheck<Site, Extras>): Record<string, string>;
  rules: SiteverifyRules<Site>;
  /** A verdict on a passed answer that needs the request (a host the client reported). */
  requestRule?(result: SiteverifyResult, request: RequestedCheck<Site, Extras>): CheckDecision;
  hostForm: HostForm;
  /** A host the client reported for the check, a decoy's preferred hostname. */
  reportedHost?(request: RequestedCheck<Site, Extras>): string | undefined;
  /** The challenge_ts a failed answer lacks, as the service writes its timestamps. */
  challengeTs(nowMs: number): string;
  /**
   * A success answer's shape for a failed answer (a decoy JWE's full result must be as long
   * as a valid one's): the service's own fields after `base`'s, in the order it answers.
   */
  decoyAnswer(
    base: SiteverifyDecoyEntry & { success: boolean },
    answer: Record<string, unknown>,
    site: Site,
  ): Record<string, unknown>;
  demoEntries(): Record<string, Site>;
  settings: IntegrationSettingsSpec;
}

/**
 * One siteverify-based integration: asks siteverify about the user's token (with
 * `remoteip` when the site has includeIP), applies the site's rules, and builds the
 * embeds, filling what a failed answer lacks so valid and decoy tokens look alike.
 */
export function siteverifyIntegration<Site extends SiteverifySite, Extras>(
  service: SiteverifyService<Site, Extras>,
): AnyIntegrationUnit {
  const { descriptor, rules } = service;
  const tokenParam = descriptor.resultParams[0] as string;
  const noExtras = () => ({}) as Extras;
  return defineIntegration<Site, Extras>({
    descriptor,
    parseEntry: service.parseEntry,
    readParams: service.readParams ?? noExtras,
    // The seed's wording for a two-parameter check: the first name missing.
    mismatchDetail: (missing) => `${missing[0]} is missing`,
    demoEntries: service.demoEntries,
    settings: service.settings,
    async check(request, context: CheckContext): Promise<CheckOutcome> {
      const { entry: site, key } = request;
      const { ip, settings, now } = context;
      const result = await siteverify({
        url: service.url(settings),
        form: {
          secret: site.secret,
          response: request.results[tokenParam] as string,
          ...service.form?.(request),
          ...(site.includeIP && ip !== UNKNOWN_IP ? { remoteip: ip } : {}),
        },
        timeoutMs: settings.upstreamTimeoutMs,
        code: descriptor.codes.tokenCheck,
      });
      let decision = decideSiteverify(result, site, rules);
      if (decision.passed && service.requestRule) decision = service.requestRule(result, request);
      const embed = `${descriptor.embedPrefix}${key}`;
      // A failed result lacks these; fill them so valid and decoy tokens look alike.
      // A valid token keeps exactly the upstream's hostname.
      const entry: SiteverifyDecoyEntry = {
        challenge_ts: result.challenge_ts ?? service.challengeTs(now()),
        hostname: decision.passed
          ? (result.hostname ?? "")
          : decoyHostname({
              ...context.hosts,
              hostForm: service.hostForm,
              answer: result.hostname,
              reportedHost: service.reportedHost?.(request),
              domains: site.domains,
            }),
      };
      // A success=false answer is much shorter than a success: its decoy JWE would stand out.
      const answer = result.success
        ? result.answer
        : service.decoyAnswer({ success: false, ...entry }, result.answer, site);
      const full = site.embedResult ? fullResult(answer) : undefined;
      return {
        decision,
        embeds: { minimal: { [embed]: entry }, full: full ? { [embed]: full } : {} },
        result: { embedKey: embed, maxResultLifetimeSeconds: site.maxResultLifetimeSeconds },
      };
    },
  });
}
