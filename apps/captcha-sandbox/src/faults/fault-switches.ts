/** The upstream endpoints a fault can be put on. */
export const FAULT_TARGETS = [
  "hcaptcha-siteverify",
  "recaptcha-siteverify",
  "fingerprint-api",
  "turnstile-siteverify",
] as const;
export type FaultTarget = (typeof FAULT_TARGETS)[number];

/** What happens to a call of a faulty endpoint. */
export type Fault =
  | { mode: "slow"; delayMs: number }
  | { mode: "status"; status: number }
  | { mode: "malformed" }
  | { mode: "reset" };

/** A fault as `GET /__sandbox/faults` lists it. */
export type FaultView = Fault & {
  target: FaultTarget;
  /** Calls left before the fault switches itself off; null = until turned off. */
  remaining: number | null;
};

/**
 * The fault currently set on each target (at most one per target, so bounded).
 * Each call of a faulty endpoint takes one use; the fault ends when its uses run out.
 */
export class FaultSwitches {
  readonly #faults = new Map<FaultTarget, { fault: Fault; remaining: number | null }>();

  /** Sets (or replaces) the fault on `target` for the next `times` calls, or until off. */
  set(target: FaultTarget, fault: Fault, times: number | null): void {
    this.#faults.set(target, { fault, remaining: times });
  }

  off(target: FaultTarget): void {
    this.#faults.delete(target);
  }

  clear(): void {
    this.#faults.clear();
  }

  list(): FaultView[] {
    return FAULT_TARGETS.flatMap((target) => {
      const entry = this.#faults.get(target);
      return entry === undefined ? [] : [{ target, ...entry.fault, remaining: entry.remaining }];
    });
  }

  /** The fault for one call of `target` (using it up), or undefined when none is set. */
  take(target: FaultTarget): Fault | undefined {
    const entry = this.#faults.get(target);
    if (entry === undefined) return undefined;
    if (entry.remaining !== null) {
      entry.remaining -= 1;
      if (entry.remaining <= 0) this.#faults.delete(target);
    }
    return entry.fault;
  }
}
