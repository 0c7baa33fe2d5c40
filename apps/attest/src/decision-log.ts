/** The one log line written per /attest decision. Never holds tokens or secrets. */
export interface DecisionLogEntry {
  time: string;
  msg: "attest";
  /** The token's `arc` claim (also logged for errors, which issue no token). */
  arc: string;
  outcome: "valid" | "invalid" | "error";
  /** Why a check failed or what went wrong, e.g. "min score". */
  reason?: string;
  /** Error codes of an error answer. */
  codes: string[];
  /** The API targets requested (clipped). */
  api: string[];
  durationMs: number;
}

export type DecisionLog = (entry: DecisionLogEntry) => void;

/** Writes each entry as one JSON line on stdout. */
export const stdoutDecisionLog: DecisionLog = (entry) => {
  process.stdout.write(`${JSON.stringify(entry)}\n`);
};
