import type { ServiceEndpoint } from "@shapes/protocol";
import type { LogWriter } from "./log-line.js";
import type { IntegrationLabel } from "./metric-labels.js";

/** The one log line written per decision. Never holds tokens, proofs or secrets. */
export interface DecisionLogEntry {
  time: string;
  /** The endpoint that decided: "attest", "token" or "refresh". */
  msg: ServiceEndpoint;
  /** The request's id (X-Request-Id), shared with its access log line. */
  requestId?: string;
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
  /** The integrations used: one of them, "combined", or "none" (none named yet). */
  integration: IntegrationLabel;
  /** The answer's HTTP status. */
  status: number;
  durationMs: number;
}

export type DecisionLog = (entry: DecisionLogEntry) => void;

/** A decision log writing each entry as one structured line (`level` "info"). */
export function decisionLogTo(write: LogWriter): DecisionLog {
  return ({ time, ...rest }) => write({ time, level: "info", ...rest });
}
