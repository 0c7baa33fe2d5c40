import { ATTEST_PARAMS as P } from "@shapes/protocol";
import type {
  Account,
  FingerprintSubscriptionConfig,
  HcaptchaSiteConfig,
  RecaptchaSiteConfig,
} from "../account/account.js";
import type { ErrorCollector } from "../http/attest-error.js";
import type { GroupedParams } from "../http/group-params.js";
import { clip } from "../http/list-for-detail.js";
import { isPageHost } from "../http/page-host.js";

/** The hCaptcha check a request asks for. */
export interface HcaptchaCheck {
  siteKey: string;
  /** The user's hCaptcha token (single use at siteverify). */
  token: string;
  site: HcaptchaSiteConfig;
  /** `/token` only: hCaptcha's respKey; validated, passed to nothing yet. */
  respKey?: string;
  /** `/token` only: the host siteverify's `hostname` must equal. */
  host?: string;
}

/** The reCAPTCHA check a request asks for. */
export interface RecaptchaCheck {
  siteKey: string;
  /** The user's reCAPTCHA token (single use at siteverify). */
  token: string;
  site: RecaptchaSiteConfig;
}

/** The Fingerprint check a request asks for: the browser's get() result. */
export interface FingerprintCheck {
  publicKey: string;
  visitorId: string;
  requestId: string;
  subscription: FingerprintSubscriptionConfig;
}

/** The checks of one request: at least one is present. */
export interface WebProtectionChecks {
  hcaptcha?: HcaptchaCheck;
  recaptcha?: RecaptchaCheck;
  fingerprint?: FingerprintCheck;
}

/** A real respKey is a few hundred characters; this bounds what we hold. */
const MAX_RESP_KEY_CHARS = 2048;
/** Fingerprint ids are about 20 characters; they go into an upstream URL, so bounded. */
const MAX_FINGERPRINT_ID_CHARS = 256;
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

/**
 * hcaptcha-host as siteverify's `hostname` can equal it: lower-cased, one trailing dot
 * dropped (`example.com.` is `example.com`), and only a page host (see isPageHost).
 */
function pageHostParam(value: string): string | undefined {
  const host = value.toLowerCase().replace(/\.$/, "");
  return isPageHost(host) ? host : undefined;
}

/** The account's entry under `key`, own properties only (a key like "__proto__" is no entry). */
function entry<T>(entries: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(entries, key) ? entries[key] : undefined;
}

function checkHcaptchaExtras(
  p: GroupedParams,
  e: ErrorCollector,
): Pick<HcaptchaCheck, "respKey" | "host"> {
  const extras: Pick<HcaptchaCheck, "respKey" | "host"> = {};
  const respKey = p.first(P.hcaptchaKey);
  if (respKey !== undefined) {
    if (respKey.length > MAX_RESP_KEY_CHARS || !VISIBLE_ASCII.test(respKey)) {
      e.append(
        "rqst-illegal-params",
        `${P.hcaptchaKey}: must be 1 to ${MAX_RESP_KEY_CHARS} visible ASCII characters`,
      );
    } else extras.respKey = respKey;
  }
  const host = p.first(P.hcaptchaHost);
  if (host !== undefined) {
    const pageHost = pageHostParam(host);
    if (pageHost === undefined) {
      e.append("rqst-illegal-params", `${P.hcaptchaHost}: not a host name`);
    } else extras.host = pageHost;
  }
  return extras;
}

function validateHcaptcha(
  p: GroupedParams,
  matched: Account | undefined,
  e: ErrorCollector,
): HcaptchaCheck | undefined {
  const key = p.first(P.hcaptchaSiteKey);
  const token = p.first(P.hcaptchaToken);
  if (key === undefined) e.add("hcap-param-mismatch", `${P.hcaptchaSiteKey} is missing`);
  if (token === undefined) e.add("hcap-param-mismatch", `${P.hcaptchaToken} is missing`);
  if (key === "") e.add("hcap-empty-site-key");
  if (token === "") e.add("hcap-empty-token");
  const extras = checkHcaptchaExtras(p, e);
  if (!matched) return undefined;
  if (Object.keys(matched.hcaptcha.sites).length === 0) {
    e.add("hcap-config-not-found");
    return undefined;
  }
  if (!key) return undefined;
  const site = entry(matched.hcaptcha.sites, key);
  if (!site) e.add("hcap-site-key-not-found", clip(key));
  return site && token ? { siteKey: key, token, site, ...extras } : undefined;
}

function validateRecaptcha(
  p: GroupedParams,
  matched: Account | undefined,
  e: ErrorCollector,
): RecaptchaCheck | undefined {
  const key = p.first(P.recaptchaSiteKey);
  const token = p.first(P.recaptchaToken);
  if (key === undefined) e.add("recap-param-mismatch", `${P.recaptchaSiteKey} is missing`);
  if (token === undefined) e.add("recap-param-mismatch", `${P.recaptchaToken} is missing`);
  if (key === "") e.add("recap-empty-site-key");
  if (token === "") e.add("recap-empty-token");
  if (!matched) return undefined;
  if (Object.keys(matched.recaptcha.sites).length === 0) {
    e.add("recap-config-not-found");
    return undefined;
  }
  if (!key) return undefined;
  const site = entry(matched.recaptcha.sites, key);
  if (!site) e.add("recap-site-key-not-found", clip(key));
  return site && token ? { siteKey: key, token, site } : undefined;
}

const FP_NAMES = [P.fingerprintPublicApiKey, P.fingerprintVisitorId, P.fingerprintRequestId];

/** A visitor or request id: bounded visible ASCII (it is compared, or goes into a URL path). */
function fingerprintId(name: string, value: string | undefined, e: ErrorCollector) {
  if (!value) return undefined;
  if (value.length <= MAX_FINGERPRINT_ID_CHARS && VISIBLE_ASCII.test(value)) return value;
  e.append(
    "rqst-illegal-params",
    `${name}: must be 1 to ${MAX_FINGERPRINT_ID_CHARS} visible ASCII characters`,
  );
  return undefined;
}

function validateFingerprint(
  p: GroupedParams,
  matched: Account | undefined,
  e: ErrorCollector,
): FingerprintCheck | undefined {
  const missing = FP_NAMES.filter((name) => !p.has(name));
  if (missing.length > 0) e.add("fp-param-mismatch", `missing: ${missing.join(", ")}`);
  const publicKey = p.first(P.fingerprintPublicApiKey);
  if (publicKey === "") e.add("fp-empty-browser-tok");
  if (p.first(P.fingerprintVisitorId) === "") e.add("fp-empty-vis-id");
  if (p.first(P.fingerprintRequestId) === "") e.add("fp-empty-rqst-id");
  const visitorId = fingerprintId(P.fingerprintVisitorId, p.first(P.fingerprintVisitorId), e);
  const requestId = fingerprintId(P.fingerprintRequestId, p.first(P.fingerprintRequestId), e);
  if (!matched) return undefined;
  if (Object.keys(matched.fingerprint.subscriptions).length === 0) {
    e.add("fp-config-not-found");
    return undefined;
  }
  if (!publicKey) return undefined;
  const subscription = entry(matched.fingerprint.subscriptions, publicKey);
  if (!subscription) e.add("fp-browser-tok-not-found", clip(publicKey));
  return subscription && visitorId && requestId
    ? { publicKey, visitorId, requestId, subscription }
    : undefined;
}

/** Whether the account defines at least one site or subscription of any integration. */
function hasIntegration(account: Account): boolean {
  return (
    Object.keys(account.hcaptcha.sites).length > 0 ||
    Object.keys(account.recaptcha.sites).length > 0 ||
    Object.keys(account.fingerprint.subscriptions).length > 0
  );
}

/**
 * The web protection parameters of `/attest` and `/token`: which checks were asked for,
 * whether the account can run them (entries defined, required integrations present),
 * and the checks to run. Every problem goes to `e`; undefined when there was any.
 */
export function validateWebProtection(
  p: GroupedParams,
  matched: Account | undefined,
  e: ErrorCollector,
): WebProtectionChecks | undefined {
  // hcaptcha-key / hcaptcha-host are only legal on /token (group-params refuses them elsewhere).
  const hcapGiven = [P.hcaptchaSiteKey, P.hcaptchaToken, P.hcaptchaKey, P.hcaptchaHost].some(
    (name) => p.has(name),
  );
  const recapGiven = p.has(P.recaptchaSiteKey) || p.has(P.recaptchaToken);
  const fpGiven = FP_NAMES.some((name) => p.has(name));
  if (!hcapGiven && !recapGiven && !fpGiven) e.add("aprv-no-web-protect-params");

  if (matched) {
    if (!hasIntegration(matched)) e.add("aprv-no-web-protect-def");
    if (!matched.hcaptcha.optional && !hcapGiven) e.add("hcap-missing-required-params");
    if (!matched.recaptcha.optional && !recapGiven) e.add("recap-missing-required-params");
    if (!matched.fingerprint.optional && !fpGiven) e.add("fp-missing-required-params");
  }

  const checks: WebProtectionChecks = {};
  const hcaptcha = hcapGiven ? validateHcaptcha(p, matched, e) : undefined;
  if (hcaptcha) checks.hcaptcha = hcaptcha;
  const recaptcha = recapGiven ? validateRecaptcha(p, matched, e) : undefined;
  if (recaptcha) checks.recaptcha = recaptcha;
  const fingerprint = fpGiven ? validateFingerprint(p, matched, e) : undefined;
  if (fingerprint) checks.fingerprint = fingerprint;
  return e.empty ? checks : undefined;
}
