import { InputError } from "../input-error.js";
import { onlyFields } from "../json-body.js";
import { FAULT_TARGETS, type Fault, type FaultTarget } from "./fault-switches.js";

/** Longest accepted delay: longer than any sane client timeout, short enough to end. */
export const MAX_DELAY_MS = 120_000;
export const DEFAULT_DELAY_MS = 1_000;
export const DEFAULT_FAULT_STATUS = 503;
const MAX_TIMES = 1_000_000;

/** A validated `POST /__sandbox/faults` body. */
export type FaultSetting =
  | { target: FaultTarget; mode: "off" }
  | { target: FaultTarget; mode: Fault["mode"]; fault: Fault; times: number | null };

const FIELDS_BY_MODE: Record<string, readonly string[]> = {
  slow: ["target", "mode", "delayMs", "times"],
  status: ["target", "mode", "status", "times"],
  malformed: ["target", "mode", "times"],
  reset: ["target", "mode", "times"],
  off: ["target", "mode"],
};

function isTarget(value: unknown): value is FaultTarget {
  return FAULT_TARGETS.some((target) => target === value);
}

function integerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}

/**
 * Validates `{target, mode, delayMs?, status?, times?}`. A field that the mode does not
 * use is refused rather than ignored, so a mistaken test setup fails loudly.
 */
export function readFaultSetting(body: Record<string, unknown>): FaultSetting {
  const { target, mode, delayMs, status, times } = body;
  if (!isTarget(target)) {
    throw new InputError("invalid-target", `target must be one of ${FAULT_TARGETS.join(", ")}`);
  }
  const allowed = typeof mode === "string" ? FIELDS_BY_MODE[mode] : undefined;
  if (allowed === undefined) {
    throw new InputError(
      "invalid-mode",
      `mode must be one of ${Object.keys(FIELDS_BY_MODE).join(", ")}`,
    );
  }
  onlyFields(body, allowed);
  if (mode === "off") return { target, mode: "off" };

  if (times !== undefined && times !== null && !integerIn(times, 1, MAX_TIMES)) {
    throw new InputError("invalid-times", `times must be a whole number from 1 to ${MAX_TIMES}`);
  }
  let fault: Fault;
  if (mode === "slow") {
    if (delayMs !== undefined && !integerIn(delayMs, 0, MAX_DELAY_MS)) {
      throw new InputError(
        "invalid-delay",
        `delayMs must be a whole number of milliseconds from 0 to ${MAX_DELAY_MS}`,
      );
    }
    fault = { mode, delayMs: delayMs ?? DEFAULT_DELAY_MS };
  } else if (mode === "status") {
    if (status !== undefined && !integerIn(status, 400, 599)) {
      throw new InputError("invalid-status", "status must be an HTTP error status, 400 to 599");
    }
    fault = { mode, status: status ?? DEFAULT_FAULT_STATUS };
  } else if (mode === "malformed" || mode === "reset") {
    fault = { mode };
  } else {
    throw new InputError("invalid-mode", "unknown mode");
  }
  return { target, mode: fault.mode, fault, times: typeof times === "number" ? times : null };
}
