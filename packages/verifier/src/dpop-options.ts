import {
  checkAlgorithmList,
  DEFAULT_DPOP_ALGORITHMS,
  type DpopAlgorithm,
} from "./dpop-algorithms.js";
import { HtuError } from "./dpop-errors.js";
import { ApproovConfigError } from "./errors.js";
import { normalizeHtu } from "./normalize-htu.js";
import type { ReplayStore } from "./replay-store.js";

export const DEFAULT_DPOP_MAX_AGE_SECONDS = 300;
export const DEFAULT_DPOP_FUTURE_TOLERANCE_SECONDS = 5;
/** Longer windows make replay memory grow and proofs live long; a day is far beyond any need. */
const MAX_AGE_LIMIT_SECONDS = 24 * 60 * 60;
const FUTURE_TOLERANCE_LIMIT_SECONDS = 5 * 60;

export interface VerifyDpopProofOptions {
  /** The request method as the server sees it ("POST"); compared exactly with `htm`. */
  method: string;
  /** The request URL as the server sees it, or a configured public origin + path. */
  url: string;
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
  /** Checks the proof's nonce: absent -> "missing-nonce", false -> "bad-nonce". */
  nonce?: (nonce: string | undefined) => boolean | Promise<boolean>;
  /**
   * Requires a string `nonce` (1 to 512 characters) that `replay` has not seen, within the
   * proof's acceptance window: "missing-nonce", "bad-nonce", "nonce-replayed". Needs `replay`.
   */
  uniqueNonce?: boolean;
  /** The access token the proof goes with: `ath` becomes required and must match it. */
  accessToken?: string;
  /** The thumbprint the access token is bound to (`cnf.jkt`): the proof key must have it. */
  expectedJkt?: string;
  /** The hash or signature of the message: a proof `msgs` must equal it. */
  messageHash?: string;
}

export interface CheckedDpopOptions {
  method: string;
  htu: string;
  algorithms: readonly DpopAlgorithm[];
  maxAgeSeconds: number;
  futureToleranceSeconds: number;
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

/** Validates the caller's options; a mistake here is a setup error, never a proof refusal. */
export function checkDpopOptions(options: VerifyDpopProofOptions): CheckedDpopOptions {
  if (typeof options !== "object" || options === null) return badOption("options are required");
  const { method, url } = options;
  if (typeof method !== "string" || method === "") return badOption("method must be a string");
  let htu: string;
  try {
    htu = normalizeHtu(url);
  } catch (error) {
    if (error instanceof HtuError) return badOption("url must be an absolute http(s) URL");
    throw error;
  }
  for (const name of ["nonce", "now"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "function") {
      badOption(`${name} must be a function`);
    }
  }
  for (const name of ["accessToken", "expectedJkt", "messageHash"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "string") {
      badOption(`${name} must be a string`);
    }
  }
  if (options.replay !== undefined && typeof options.replay?.checkAndRemember !== "function") {
    badOption("replay must be a ReplayStore");
  }
  if (options.uniqueNonce !== undefined && typeof options.uniqueNonce !== "boolean") {
    badOption("uniqueNonce must be a boolean");
  }
  if (options.uniqueNonce && options.replay === undefined) {
    badOption("uniqueNonce needs a replay store");
  }
  const nowMs = (options.now ?? Date.now)();
  if (typeof nowMs !== "number" || !Number.isFinite(nowMs)) {
    return badOption("now() must return a finite number of ms");
  }
  return {
    method,
    htu,
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
    nowMs,
  };
}
