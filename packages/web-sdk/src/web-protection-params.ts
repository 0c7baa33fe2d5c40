import { ATTEST_PARAMS as P } from "@shapes/protocol";
import { ApproovError } from "./errors.js";
import type { SessionConfig } from "./session.js";

/** hCaptcha's result: the token string, or `hcaptcha.execute({async: true})`'s object. */
export type HcaptchaResult = string | { response: string; key?: string; host?: string };

/** Fingerprint's result: the seed's names, or what the agent's `fp.get()` resolves to. */
export type FingerprintResult =
  | { fingerprintVisitorId: string; fingerprintRequestId: string }
  | { visitorId: string; requestId: string };

/** What `fetchToken` takes besides the api (the seed's names). */
export interface FetchTokenOptions {
  /** Token binding data: only its SHA-256 hash leaves the browser. */
  payload?: string | Uint8Array;
  fingerprintIDResult?: FingerprintResult;
  hcaptchaToken?: HcaptchaResult;
  recaptchaToken?: string;
}

const OPTION_NAMES = ["payload", "fingerprintIDResult", "hcaptchaToken", "recaptchaToken"];

/** The form parameters of one integration's result, in a fixed order. */
export type ResultParams = Map<string, [string, string][]>;

/** Checks fetchToken's options object and returns it (undefined/null mean `{}`). */
export function checkOptions(options: unknown): FetchTokenOptions {
  if (options === undefined || options === null) return {};
  if (typeof options !== "object" || Array.isArray(options)) {
    throw new ApproovError("fetchToken: the options must be an object");
  }
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.includes(name)) {
      throw new ApproovError(`fetchToken: unknown option "${name.slice(0, 64)}"`);
    }
  }
  return options as FetchTokenOptions;
}

/**
 * The web protection parameters of the results given to fetchToken, per integration
 * (`hcap`, `recap`, `fp`). A result for an integration the session was not configured
 * with is a programming error (ApproovError), as is a result of the wrong shape.
 */
export function resultParams(config: SessionConfig, options: FetchTokenOptions): ResultParams {
  const results: ResultParams = new Map();
  const { hcaptchaToken, recaptchaToken, fingerprintIDResult } = options;

  if (hcaptchaToken !== undefined && hcaptchaToken !== null) {
    const siteKey = configured(config.hcaptchaSiteKey, "hcaptchaToken", "hcaptchaSiteKey");
    const result = typeof hcaptchaToken === "string" ? { response: hcaptchaToken } : hcaptchaToken;
    if (typeof result !== "object" || typeof result.response !== "string") {
      throw new ApproovError(
        "fetchToken: hcaptchaToken must be a string or {response, key?, host?}",
      );
    }
    const params: [string, string][] = [
      [P.hcaptchaSiteKey, siteKey],
      [P.hcaptchaToken, result.response],
    ];
    const key = optionalString(result.key, "hcaptchaToken.key");
    const host = optionalString(result.host, "hcaptchaToken.host");
    if (key !== undefined) params.push([P.hcaptchaKey, key]);
    if (host !== undefined) params.push([P.hcaptchaHost, host]);
    results.set("hcap", params);
  }

  if (recaptchaToken !== undefined && recaptchaToken !== null) {
    const siteKey = configured(config.recaptchaSiteKey, "recaptchaToken", "recaptchaSiteKey");
    if (typeof recaptchaToken !== "string") {
      throw new ApproovError("fetchToken: recaptchaToken must be a string");
    }
    results.set("recap", [
      [P.recaptchaSiteKey, siteKey],
      [P.recaptchaToken, recaptchaToken],
    ]);
  }

  if (fingerprintIDResult !== undefined && fingerprintIDResult !== null) {
    const apiKey = configured(
      config.fingerprintPublicAPIKey,
      "fingerprintIDResult",
      "fingerprintPublicAPIKey",
    );
    const given = fingerprintIDResult as Record<string, unknown>;
    const visitorId = given.fingerprintVisitorId ?? given.visitorId;
    const requestId = given.fingerprintRequestId ?? given.requestId;
    if (typeof visitorId !== "string" || typeof requestId !== "string") {
      throw new ApproovError(
        "fetchToken: fingerprintIDResult must have fingerprintVisitorId and fingerprintRequestId (or fp.get()'s visitorId and requestId)",
      );
    }
    results.set("fp", [
      [P.fingerprintPublicApiKey, apiKey],
      [P.fingerprintVisitorId, visitorId],
      [P.fingerprintRequestId, requestId],
    ]);
  }
  return results;
}

/** One string per integration, for comparing results between calls. */
export function serialiseResults(results: ResultParams): Map<string, string> {
  const serialised = new Map<string, string>();
  for (const [integration, params] of results) serialised.set(integration, JSON.stringify(params));
  return serialised;
}

/**
 * Whether any result given now differs from the one last sent for its integration,
 * i.e. whether the service must run a fresh check.
 */
export function hasNewResult(given: Map<string, string>, lastSent: Map<string, string>): boolean {
  for (const [integration, value] of given) {
    if (lastSent.get(integration) !== value) return true;
  }
  return false;
}

export function sameResults(a: Map<string, string>, b: Map<string, string>): boolean {
  return a.size === b.size && !hasNewResult(a, b);
}

function configured(key: string | undefined, option: string, setting: string): string {
  if (key === undefined) {
    throw new ApproovError(`fetchToken: ${option} given but initializeSession had no ${setting}`);
  }
  return key;
}

/** An optional string; empty counts as not given (hCaptcha answers "" when it has no key). */
function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw new ApproovError(`fetchToken: ${name} must be a string`);
  return value;
}
