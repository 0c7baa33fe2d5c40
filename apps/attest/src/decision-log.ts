import type { ServiceEndpoint } from "@shapes/protocol";

/** The one log line written per decision. Never holds tokens, proofs or secrets. */
export interface DecisionLogEntry {
  time: string;
  /** The endpoint that decided: "attest", "token" or "refresh". */
  msg: ServiceEndpoint;
  /** The tokens' `arc` claim (also logged for errors, which issue no token). */
  arc: string;
  /** SDK endpoints: the session id (random, from the refresh token), once known. */
  sid?: string;
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
