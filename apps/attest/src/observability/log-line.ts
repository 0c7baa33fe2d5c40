/** Severity of a log line. */
export type LogLevel = "info" | "warn" | "error" | "fatal";

/**
 * One structured log line: `time`, `level`, `msg` first, then `requestId` while a request is
 * handled, then the line's own fields. Never a token, proof or secret in any field.
 */
export interface LogLine {
  time: string;
  level: LogLevel;
  msg: string;
  requestId?: string;
  [field: string]: unknown;
}

/** Where log lines go: stdout by default; tests capture them. */
export type LogWriter = (line: LogLine) => void;

/** Every line is one JSON object on one line of stdout (a log shipper reads it as is). */
export const stdoutLogWriter: LogWriter = (line) => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

/** Builds a line with the fixed fields first, so every line reads the same way. */
export function logLine(
  timeMs: number,
  level: LogLevel,
  msg: string,
  requestId: string | undefined,
  fields: Record<string, unknown> = {},
): LogLine {
  return {
    time: new Date(timeMs).toISOString(),
    level,
    msg,
    ...(requestId !== undefined ? { requestId } : {}),
    ...fields,
  };
}
