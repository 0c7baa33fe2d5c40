import {
  checkAlgorithmList,
  DEFAULT_DPOP_ALGORITHMS,
  type DpopAlgorithm,
} from "./dpop-algorithms.js";
import { HtuError } from "./dpop-errors.js";
import { checkKeyCacheSize, DEFAULT_DPOP_KEY_CACHE_SIZE } from "./dpop-key-cache.js";
import { ApproovConfigError } from "./errors.js";
import { normalizeHtu } from "./normalize-htu.js";
import type { ReplayStore } from "./replay-store.js";

export const DEFAULT_DPOP_MAX_AGE_SECONDS = 300;
export const DEFAULT_DPOP_FUTURE_TOLERANCE_SECONDS = 5;
/** Longer windows make replay memory grow and proofs live long; a day is far beyond any need. */
const MAX_AGE_LIMIT_SECONDS = 24 * 60 * 60;
const FUTURE_TOLERANCE_LIMIT_SECONDS = 5 * 60;

/** Checks the proof's nonce: absent -> "missing-nonce", anything but `true` -> "bad-nonce". */
export type DpopNonceCheck = (nonce: string | undefined) => boolean | Promise<boolean>;

/** What stays the same for every request: checked once by createDpopProofVerifier. */
export interface DpopProofVerifierOptions {
  /** Allowed proof algs; default ["ES256"]. Only asymmetric signature algs are accepted. */
  algorithms?: readonly string[];
  /** Oldest `iat` accepted, in seconds before now; default 300. */
  maxAgeSeconds?: number;
  /** Latest `iat` accepted, in seconds after now; default 5. */
  futureToleranceSeconds?: number;
  /** Clock in ms; default Date.now. */
  now?: () => number;
  /** Where used proofs are remembered; without one there is no replay check. */
  replay?: ReplayStore;
  /** The nonce check for every request (a request's own `nonce` replaces it). */
  nonce?: DpopNonceCheck;
  /**
   * Requires a string `nonce` (1 to 512 characters) that `replay` has not seen, within the
   * proof's acceptance window: "missing-nonce", "bad-nonce", "replayed". Needs `replay`.
   */
  uniqueNonce?: boolean;
  /** Proof keys (imported key + thumbprint) remembered, LRU; default DEFAULT_DPOP_KEY_CACHE_SIZE (1 000), 0 = off. */
  keyCacheSize?: number;
}

/** What belongs to one request. */
export interface DpopProofRequest {
  /** The request method as the server sees it ("POST"); compared exactly with `htm`. */
  method: string;
  /** The request URL as the server sees it, or a configured public origin + path. */
  url: string;
  /** The access token the proof goes with: `ath` becomes required and must match it. */
  accessToken?: string;
  /** The thumbprint the access token is bound to (`cnf.jkt`): the proof key must have it. */
  expectedJkt?: string;
  /** The hash or signature of the message: a proof `msgs` must equal it. */
  messageHash?: string;
  /** This request's nonce check; replaces the verifier's `nonce` when given. */
  nonce?: DpopNonceCheck;
}

/** verifyDpopProof's options: everything per call (its key cache is process-wide). */
export interface VerifyDpopProofOptions
  extends Omit<DpopProofVerifierOptions, "keyCacheSize">,
    DpopProofRequest {}

export interface DpopVerifierSettings {
  algorithms: readonly DpopAlgorithm[];
  maxAgeSeconds: number;
  futureToleranceSeconds: number;
  now: () => number;
  replay: ReplayStore | undefined;
  nonce: DpopNonceCheck | undefined;
  uniqueNonce: boolean;
  keyCacheSize: number;
}

export interface CheckedDpopRequest {
  method: string;
  htu: string;
  accessToken: string | undefined;
  expectedJkt: string | undefined;
  messageHash: string | undefined;
  nonce: DpopNonceCheck | undefined;
  nowMs: number;
}

function badOption(message: string): never {
  throw new ApproovConfigError("bad-option", message);
}

function seconds(value: number, name: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    return badOption(`${name} must be a number from ${min} to ${max}`);
  }
  return value;
}

function optionalFunction<T>(value: T | undefined, name: string): T | undefined {
  if (value !== undefined && typeof value !== "function") badOption(`${name} must be a function`);
  return value;
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value !== undefined && typeof value !== "string") badOption(`${name} must be a string`);
  return value as string | undefined;
}

function isObject(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}

/** Validates the verifier's options once; a mistake here is a setup error, never a refusal. */
export function checkVerifierOptions(options: DpopProofVerifierOptions): DpopVerifierSettings {
  if (!isObject(options)) return badOption("options are required");
  const now = optionalFunction(options.now, "now") ?? Date.now;
  const nonce = optionalFunction(options.nonce, "nonce");
  const { replay } = options;
  if (replay !== undefined && typeof replay?.checkAndRemember !== "function") {
    badOption("replay must be a ReplayStore");
  }
  if (options.uniqueNonce !== undefined && typeof options.uniqueNonce !== "boolean") {
    badOption("uniqueNonce must be a boolean");
  }
  const uniqueNonce = options.uniqueNonce === true;
  if (uniqueNonce && replay === undefined) badOption("uniqueNonce needs a replay store");
  return {
    algorithms: checkAlgorithmList(options.algorithms ?? DEFAULT_DPOP_ALGORITHMS),
    maxAgeSeconds: seconds(
      options.maxAgeSeconds ?? DEFAULT_DPOP_MAX_AGE_SECONDS,
      "maxAgeSeconds",
      1,
      MAX_AGE_LIMIT_SECONDS,
    ),
    futureToleranceSeconds: seconds(
      options.futureToleranceSeconds ?? DEFAULT_DPOP_FUTURE_TOLERANCE_SECONDS,
      "futureToleranceSeconds",
      0,
      FUTURE_TOLERANCE_LIMIT_SECONDS,
    ),
    now,
    replay,
    nonce,
    uniqueNonce,
    keyCacheSize: checkKeyCacheSize(options.keyCacheSize ?? DEFAULT_DPOP_KEY_CACHE_SIZE),
  };
}

/** Reads the clock; a broken clock is a setup error, not a proof refusal. */
export function readClock(now: () => number): number {
  const nowMs = now();
  if (typeof nowMs !== "number" || !Number.isFinite(nowMs)) {
    return badOption("now() must return a finite number of ms");
  }
  return nowMs;
}

/** Validates one request's part (cheap type checks, the URL normalised once) and reads the clock. */
export function checkRequest(
  request: DpopProofRequest,
  settings: DpopVerifierSettings,
): CheckedDpopRequest {
  if (!isObject(request)) return badOption("the request is required");
  const { method, url } = request;
  if (typeof method !== "string" || method === "") return badOption("method must be a string");
  let htu: string;
  try {
    htu = normalizeHtu(url);
  } catch (error) {
    if (error instanceof HtuError) return badOption("url must be an absolute http(s) URL");
    throw error;
  }
  return {
    method,
    htu,
    accessToken: optionalString(request.accessToken, "accessToken"),
    expectedJkt: optionalString(request.expectedJkt, "expectedJkt"),
    messageHash: optionalString(request.messageHash, "messageHash"),
    nonce: optionalFunction(request.nonce, "nonce") ?? settings.nonce,
    nowMs: readClock(settings.now),
  };
}
