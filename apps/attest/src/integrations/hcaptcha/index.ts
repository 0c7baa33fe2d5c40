import { urlFromEnv } from "@shapes/node-service";
import { HCAPTCHA, HCAPTCHA_TEST_KEYS, HCAPTCHA_TEST_SECRET } from "@shapes/protocol";
import type { ErrorCollector } from "../../http/attest-error.js";
import type { GroupedParams } from "../../http/group-params.js";
import { isPageHost } from "../../http/page-host.js";
import { type CaptchaSiteConfig, demoSite, parseCaptchaSite } from "../siteverify/captcha-site.js";
import { siteverifyIntegration } from "../siteverify/siteverify-integration.js";
import { HCAPTCHA_RULES } from "./decision.js";

/** hCaptcha's part of the service's settings. */
export interface HcaptchaSettings {
  /** hCaptcha's siteverify endpoint (the sandbox by default). */
  hcaptchaSiteverifyUrl: string;
}

const DEFAULTS: HcaptchaSettings = {
  hcaptchaSiteverifyUrl: "http://127.0.0.1:8003/siteverify",
};

/** What `/token` adds: hCaptcha's respKey and the page host the SDK reported. */
interface HcaptchaExtras {
  /** `hcaptcha-key`: validated, passed to nothing yet. */
  respKey?: string;
  /** `hcaptcha-host`: the host siteverify's `hostname` must equal. */
  host?: string;
}

const [RESP_KEY, HOST] = HCAPTCHA.tokenOnlyParams as readonly [string, string];

/** A real respKey is a few hundred characters; this bounds what we hold. */
const MAX_RESP_KEY_CHARS = 2048;
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

/**
 * hcaptcha-host as siteverify's `hostname` can equal it: lower-cased, one trailing dot
 * dropped (`example.com.` is `example.com`), and only a page host (see isPageHost).
 */
function pageHostParam(value: string): string | undefined {
  const host = value.toLowerCase().replace(/\.$/, "");
  return isPageHost(host) ? host : undefined;
}

function readParams(p: GroupedParams, e: ErrorCollector): HcaptchaExtras {
  const extras: HcaptchaExtras = {};
  const respKey = p.first(RESP_KEY);
  if (respKey !== undefined) {
    if (respKey.length > MAX_RESP_KEY_CHARS || !VISIBLE_ASCII.test(respKey)) {
      e.append(
        "rqst-illegal-params",
        `${RESP_KEY}: must be 1 to ${MAX_RESP_KEY_CHARS} visible ASCII characters`,
      );
    } else extras.respKey = respKey;
  }
  const host = p.first(HOST);
  if (host !== undefined) {
    const pageHost = pageHostParam(host);
    if (pageHost === undefined) e.append("rqst-illegal-params", `${HOST}: not a host name`);
    else extras.host = pageHost;
  }
  return extras;
}

function parseSite(raw: unknown, prefix: string): CaptchaSiteConfig {
  return parseCaptchaSite(raw, prefix).site;
}

/**
 * hCaptcha: siteverify with the site key, the SDK's page host checked against the answer's
 * hostname, hostnames as hCaptcha reports them (the registrable root).
 */
export const hcaptcha = siteverifyIntegration<CaptchaSiteConfig, HcaptchaExtras>({
  descriptor: HCAPTCHA,
  parseEntry: parseSite,
  readParams,
  url: (settings) => settings.hcaptchaSiteverifyUrl,
  form: (request) => ({ sitekey: request.key }),
  rules: HCAPTCHA_RULES,
  requestRule: (result, { extras }) =>
    extras.host !== undefined && result.hostname?.toLowerCase() !== extras.host
      ? { passed: false, reason: "hostname differs from hcaptcha-host" }
      : { passed: true },
  hostForm: "registrable-root",
  reportedHost: ({ extras }) => extras.host,
  challengeTs: (nowMs) => new Date(nowMs).toISOString(),
  // Score fields where the site's rules imply answers carry them: Enterprise (a site with
  // minScore can only pass with a score).
  decoyAnswer: (base, answer, site) => ({
    ...base,
    credit: answer.credit === true,
    ...(site.minScore > 0 ? { score: 0.1, score_reason: [] } : {}),
  }),
  // The three published test keys; the enterprise ones require a score so the demo can
  // show the bot-detected key refused.
  demoEntries: () => ({
    [HCAPTCHA_TEST_KEYS.publisher.siteKey]: demoSite(HCAPTCHA_TEST_SECRET),
    [HCAPTCHA_TEST_KEYS.enterpriseSafeUser.siteKey]: demoSite(HCAPTCHA_TEST_SECRET, 0.5),
    [HCAPTCHA_TEST_KEYS.enterpriseBotDetected.siteKey]: demoSite(HCAPTCHA_TEST_SECRET, 0.5),
  }),
  settings: {
    defaults: DEFAULTS,
    fromEnv: (env): HcaptchaSettings => ({
      hcaptchaSiteverifyUrl: urlFromEnv(
        env,
        "HCAPTCHA_SITEVERIFY_URL",
        DEFAULTS.hcaptchaSiteverifyUrl,
      ),
    }),
  },
});
