import { isIP } from "node:net";
import { ATTEST_PARAMS as P } from "@shapes/protocol";
import type { Account, HcaptchaSiteConfig } from "./account.js";
import type { ErrorCollector } from "./attest-error.js";
import type { GroupedParams } from "./group-params.js";
import { clip } from "./list-for-detail.js";

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

/** A real respKey is a few hundred characters; this bounds what we hold. */
const MAX_RESP_KEY_CHARS = 2048;
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;
const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/;

/** A DNS name, an IPv4 address, or an IPv6 address with or without brackets. */
function isHost(value: string): boolean {
  if (HOST_NAME.test(value)) return true;
  const bare = value.startsWith("[") && value.endsWith("]") ? value.slice(1, -1) : value;
  return isIP(bare) !== 0;
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
    if (!isHost(host)) e.append("rqst-illegal-params", `${P.hcaptchaHost}: not a host name`);
    else extras.host = host.toLowerCase();
  }
  return extras;
}

/**
 * The web protection parameters of `/attest` and `/token`: which checks were asked
 * for, whether the account can run them, and the hCaptcha check to run (the only
 * integration the account can define yet). Undefined when problems were collected.
 */
export function validateWebProtection(
  p: GroupedParams,
  matched: Account | undefined,
  e: ErrorCollector,
): HcaptchaCheck | undefined {
  // hcaptcha-key / hcaptcha-host are only legal on /token (group-params refuses them elsewhere).
  const hcapNames = [P.hcaptchaSiteKey, P.hcaptchaToken, P.hcaptchaKey, P.hcaptchaHost];
  const hcapGiven = hcapNames.some((name) => p.has(name));
  const recapGiven = p.has(P.recaptchaSiteKey) || p.has(P.recaptchaToken);
  const fpNames = [P.fingerprintPublicApiKey, P.fingerprintVisitorId, P.fingerprintRequestId];
  const fpGiven = fpNames.some((name) => p.has(name));
  if (!hcapGiven && !recapGiven && !fpGiven) e.add("aprv-no-web-protect-params");

  const hcaptchaSites = matched ? Object.keys(matched.hcaptcha.sites).length : 0;
  // reCAPTCHA sites and Fingerprint subscriptions are stored but not checked yet (the later
  // step plugs in below, in the recapGiven / fpGiven blocks): only hCaptcha counts here.
  if (matched && hcaptchaSites === 0) e.add("aprv-no-web-protect-def");
  if (matched && !matched.hcaptcha.optional && !hcapGiven) e.add("hcap-missing-required-params");

  let hcaptcha: HcaptchaCheck | undefined;
  if (hcapGiven) {
    const key = p.first(P.hcaptchaSiteKey);
    const token = p.first(P.hcaptchaToken);
    if (key === undefined) e.add("hcap-param-mismatch", `${P.hcaptchaSiteKey} is missing`);
    if (token === undefined) e.add("hcap-param-mismatch", `${P.hcaptchaToken} is missing`);
    if (key === "") e.add("hcap-empty-site-key");
    if (token === "") e.add("hcap-empty-token");
    const extras = checkHcaptchaExtras(p, e);
    if (matched && hcaptchaSites === 0) e.add("hcap-config-not-found");
    else if (matched && key) {
      const site = Object.hasOwn(matched.hcaptcha.sites, key)
        ? matched.hcaptcha.sites[key]
        : undefined;
      if (!site) e.add("hcap-site-key-not-found", clip(key));
      else if (token) hcaptcha = { siteKey: key, token, site, ...extras };
    }
  }

  if (recapGiven) {
    const key = p.first(P.recaptchaSiteKey);
    const token = p.first(P.recaptchaToken);
    if (key === undefined) e.add("recap-param-mismatch", `${P.recaptchaSiteKey} is missing`);
    if (token === undefined) e.add("recap-param-mismatch", `${P.recaptchaToken} is missing`);
    if (key === "") e.add("recap-empty-site-key");
    if (token === "") e.add("recap-empty-token");
    if (matched) e.add("recap-config-not-found");
  }

  if (fpGiven) {
    const missing = fpNames.filter((name) => !p.has(name));
    if (missing.length > 0) e.add("fp-param-mismatch", `missing: ${missing.join(", ")}`);
    if (p.first(P.fingerprintPublicApiKey) === "") e.add("fp-empty-browser-tok");
    if (p.first(P.fingerprintVisitorId) === "") e.add("fp-empty-vis-id");
    if (p.first(P.fingerprintRequestId) === "") e.add("fp-empty-rqst-id");
    if (matched) e.add("fp-config-not-found");
  }
  return e.empty ? hcaptcha : undefined;
}
