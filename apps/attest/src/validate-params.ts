import { ATTEST_PARAM_NAMES, ATTEST_PARAMS as P } from "@shapes/protocol";
import type { Account, HcaptchaSiteConfig } from "./account.js";
import { ErrorCollector } from "./attest-error.js";
import { constantTimeEqual } from "./constant-time.js";
import { clip, listForDetail } from "./list-for-detail.js";
import type { Param } from "./parse-params.js";

/** A validated `/attest` request, ready for the web protection checks. */
export interface AttestRequest {
  /** The API domains the token is for (at least one, all web-enabled). */
  apis: string[];
  /** Token binding: STANDARD base64 of the 32 decoded payload bytes. */
  pay?: string;
  /** The hCaptcha check to run (the only integration this issue implements). */
  hcaptcha: { siteKey: string; token: string; site: HcaptchaSiteConfig };
}

const PAYLOAD_BYTES = 32;

const LEGAL = new Set<string>(ATTEST_PARAM_NAMES);

/** Params by name, plus the illegal and repeated names (step 3). */
function groupParams(params: readonly Param[], errors: ErrorCollector): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  const illegal: string[] = [];
  for (const [name, value] of params) {
    if (!LEGAL.has(name)) {
      if (!illegal.includes(name)) illegal.push(name);
      continue;
    }
    const values = byName.get(name);
    if (values) values.push(value);
    else byName.set(name, [value]);
  }
  for (const [name, values] of byName) {
    if (name !== P.api && values.length > 1) illegal.push(`repeated: ${name}`);
  }
  if (illegal.length > 0) errors.add("rqst-illegal-params", listForDetail(illegal));
  return byName;
}

function checkApis(values: readonly string[], account: Account | undefined, e: ErrorCollector) {
  if (values.length === 0) {
    e.add("aprv-api-no-targets");
    return;
  }
  if (values.includes("")) e.add("aprv-api-empty-target");
  const named = values.filter((v) => v !== "");
  const duplicates = [...new Set(named.filter((v, i) => named.indexOf(v) !== i))];
  if (duplicates.length > 0) e.add("aprv-api-duplicate-target", listForDetail(duplicates));
  if (!account) return;
  const defined = Object.keys(account.apis).length;
  if (values.length > defined) {
    e.add("aprv-api-too-many-targets", `${values.length} given, the account has ${defined}`);
  }
  const unique = [...new Set(named)];
  const notFound = unique.filter((v) => !Object.hasOwn(account.apis, v));
  if (notFound.length > 0) e.add("aprv-api-not-found", listForDetail(notFound));
  const notWeb = unique.filter((v) => Object.hasOwn(account.apis, v) && !account.apis[v]?.allowWeb);
  if (notWeb.length > 0) e.add("aprv-api-not-web-enabled", listForDetail(notWeb));
}

/** Step 6: the payload is a base64url (unpadded) SHA-256 hash; returns standard base64. */
function checkPayload(value: string | undefined, e: ErrorCollector): string | undefined {
  if (value === undefined) return undefined;
  const bytes = Buffer.from(value, "base64url");
  // The round trip refuses padding, foreign characters and non-canonical trailing bits.
  if (!/^[A-Za-z0-9_-]*$/.test(value) || bytes.toString("base64url") !== value) {
    e.add("aprv-payload-not-b64url");
    return undefined;
  }
  if (bytes.length !== PAYLOAD_BYTES) {
    e.add("aprv-payload-param-invalid-size", `${bytes.length} bytes, expected ${PAYLOAD_BYTES}`);
    return undefined;
  }
  return bytes.toString("base64");
}

/**
 * Validates the parameters of `POST /attest` (steps 3 to 7 of the brief), collecting
 * every problem into one 400 answer. `account` is the account the service holds;
 * account-dependent checks run only once the site key matched it.
 */
export function validateParams(params: readonly Param[], account: Account): AttestRequest {
  const e = new ErrorCollector();
  const byName = groupParams(params, e);
  const first = (name: string) => byName.get(name)?.[0];
  const has = (name: string) => byName.has(name);

  // Step 4: the account.
  const siteKey = first(P.approovSiteKey);
  let matched: Account | undefined;
  if (!siteKey) e.add("aprv-no-site-key");
  else if (constantTimeEqual(siteKey, account.siteKey)) matched = account;
  else e.add("aprv-no-matching-account");

  // Step 5: API targets.
  const apis = byName.get(P.api) ?? [];
  checkApis(apis, matched, e);

  // Step 6: token binding.
  const pay = checkPayload(first(P.payload), e);

  // Step 7: web protection parameters.
  const hcapGiven = has(P.hcaptchaSiteKey) || has(P.hcaptchaToken);
  const recapGiven = has(P.recaptchaSiteKey) || has(P.recaptchaToken);
  const fpNames = [P.fingerprintPublicApiKey, P.fingerprintVisitorId, P.fingerprintRequestId];
  const fpGiven = fpNames.some(has);
  if (!hcapGiven && !recapGiven && !fpGiven) e.add("aprv-no-web-protect-params");

  const hcaptchaSites = matched ? Object.keys(matched.hcaptcha.sites).length : 0;
  // reCAPTCHA and Fingerprint cannot be configured yet: an account has hCaptcha or nothing.
  if (matched && hcaptchaSites === 0) e.add("aprv-no-web-protect-def");
  if (matched && !matched.hcaptcha.optional && !hcapGiven) e.add("hcap-missing-required-params");

  let hcaptcha: AttestRequest["hcaptcha"] | undefined;
  if (hcapGiven) {
    const key = first(P.hcaptchaSiteKey);
    const token = first(P.hcaptchaToken);
    if (key === undefined) e.add("hcap-param-mismatch", `${P.hcaptchaSiteKey} is missing`);
    if (token === undefined) e.add("hcap-param-mismatch", `${P.hcaptchaToken} is missing`);
    if (key === "") e.add("hcap-empty-site-key");
    if (token === "") e.add("hcap-empty-token");
    if (matched && hcaptchaSites === 0) e.add("hcap-config-not-found");
    else if (matched && key) {
      const site = Object.hasOwn(matched.hcaptcha.sites, key)
        ? matched.hcaptcha.sites[key]
        : undefined;
      if (!site) e.add("hcap-site-key-not-found", clip(key));
      else if (token) hcaptcha = { siteKey: key, token, site };
    }
  }

  if (recapGiven) {
    const key = first(P.recaptchaSiteKey);
    const token = first(P.recaptchaToken);
    if (key === undefined) e.add("recap-param-mismatch", `${P.recaptchaSiteKey} is missing`);
    if (token === undefined) e.add("recap-param-mismatch", `${P.recaptchaToken} is missing`);
    if (key === "") e.add("recap-empty-site-key");
    if (token === "") e.add("recap-empty-token");
    if (matched) e.add("recap-config-not-found");
  }

  if (fpGiven) {
    const missing = fpNames.filter((name) => !has(name));
    if (missing.length > 0) e.add("fp-param-mismatch", `missing: ${missing.join(", ")}`);
    if (first(P.fingerprintPublicApiKey) === "") e.add("fp-empty-browser-tok");
    if (first(P.fingerprintVisitorId) === "") e.add("fp-empty-vis-id");
    if (first(P.fingerprintRequestId) === "") e.add("fp-empty-rqst-id");
    if (matched) e.add("fp-config-not-found");
  }

  e.throwIfAny();
  if (!hcaptcha) {
    // Unreachable when the checks above are complete; refuse rather than issue a token.
    throw new Error("validated request without a web protection check");
  }
  const request: AttestRequest = { apis, hcaptcha };
  if (pay !== undefined) request.pay = pay;
  return request;
}
