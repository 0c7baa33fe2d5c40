import { INTEGRATIONS, type IntegrationDescriptor } from "@shapes/protocol";
import { ApproovError } from "./errors.js";
import { listText } from "./list-text.js";
import type { SessionConfig } from "./session.js";

/** hCaptcha's result: the token string, or `hcaptcha.execute({async: true})`'s object. */
export type HcaptchaResult = string | { response: string; key?: string; host?: string };

/** Fingerprint's result: the seed's names, or what the agent's `fp.get()` resolves to. */
export type FingerprintResult =
  | { fingerprintVisitorId: string; fingerprintRequestId: string }
  | { visitorId: string; requestId: string };

type ResultOption = (typeof INTEGRATIONS)[number]["sdk"]["resultOption"];

/** The result each integration's fetchToken option takes: a token string unless said here. */
type ResultOf<Option extends ResultOption> = Option extends "hcaptchaToken"
  ? HcaptchaResult
  : Option extends "fingerprintIDResult"
    ? FingerprintResult
    : string;

/** What `fetchToken` takes besides the api (the seed's names, one option per integration). */
export type FetchTokenOptions = {
  /** Token binding data: only its SHA-256 hash leaves the browser. */
  payload?: string | Uint8Array;
} & { [Option in ResultOption]?: ResultOf<Option> };

const OPTION_NAMES: readonly string[] = ["payload", ...INTEGRATIONS.map((d) => d.sdk.resultOption)];

/** The form parameters of each integration's result (by integration name), in a fixed order. */
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

/** An optional string; empty counts as not given (hCaptcha answers "" when it has no key). */
function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw new ApproovError(`fetchToken: ${name} must be a string`);
  return value;
}

type ResultReader = (d: IntegrationDescriptor, result: unknown) => [string, string][];

/** The integrations whose result is more than a token string. */
const OBJECT_RESULTS: Readonly<Record<string, ResultReader>> = {
  // hCaptcha's execute() object adds its respKey and the page's host (/token-only params).
  hcaptcha(d, given) {
    const result = typeof given === "string" ? { response: given } : (given as HcaptchaResult);
    if (typeof result !== "object" || typeof result.response !== "string") {
      throw new ApproovError(
        "fetchToken: hcaptchaToken must be a string or {response, key?, host?}",
      );
    }
    const params: [string, string][] = [[d.resultParams[0] as string, result.response]];
    const [keyParam, hostParam] = d.tokenOnlyParams as [string, string];
    const key = optionalString(result.key, "hcaptchaToken.key");
    const host = optionalString(result.host, "hcaptchaToken.host");
    if (key !== undefined) params.push([keyParam, key]);
    if (host !== undefined) params.push([hostParam, host]);
    return params;
  },
  fingerprint(d, given) {
    const result = (given ?? {}) as Record<string, unknown>;
    const visitorId = result.fingerprintVisitorId ?? result.visitorId;
    const requestId = result.fingerprintRequestId ?? result.requestId;
    if (typeof visitorId !== "string" || typeof requestId !== "string") {
      throw new ApproovError(
        "fetchToken: fingerprintIDResult must have fingerprintVisitorId and fingerprintRequestId (or fp.get()'s visitorId and requestId)",
      );
    }
    const [visitorParam, requestParam] = d.resultParams as [string, string];
    return [
      [visitorParam, visitorId],
      [requestParam, requestId],
    ];
  },
};

const tokenResult: ResultReader = (d, result) => {
  if (typeof result !== "string") {
    throw new ApproovError(`fetchToken: ${d.sdk.resultOption} must be a string`);
  }
  return [[d.resultParams[0] as string, result]];
};

/**
 * The web protection parameters of the results given to fetchToken, per integration. A
 * result for an integration the session was not configured with is a programming error
 * (ApproovError), as is a result of the wrong shape.
 */
export function resultParams(config: SessionConfig, options: FetchTokenOptions): ResultParams {
  const results: ResultParams = new Map();
  const given = options as Record<string, unknown>;
  for (const d of INTEGRATIONS) {
    const result = given[d.sdk.resultOption];
    if (result === undefined || result === null) continue;
    const key = (config as unknown as Record<string, string | undefined>)[d.sdk.keySetting];
    if (key === undefined) {
      throw new ApproovError(
        `fetchToken: ${d.sdk.resultOption} given but initializeSession had no ${d.sdk.keySetting}`,
      );
    }
    const read = OBJECT_RESULTS[d.name] ?? tokenResult;
    results.set(d.name, [[d.keyParam, key], ...read(d, result)]);
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

/** The options that carry a result, for messages: `a, b or c`. */
export const RESULT_OPTIONS_TEXT = listText(INTEGRATIONS.map((d) => d.sdk.resultOption));
