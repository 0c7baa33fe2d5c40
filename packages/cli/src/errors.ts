/** Stable codes of every failure the CLI reports; tests and scripts may rely on them. */
export type CliErrorCode =
  | "usage"
  | "bad-env"
  | "no-admin-key"
  | "admin-key-rejected"
  | "unreachable"
  | "timeout"
  | "service-error"
  | "bad-answer"
  | "not-a-terminal"
  | "aborted"
  | "invalid-token"
  | "unknown-package"
  | "sdk-not-built"
  | "write-failed";

/** A failure reported as `approov: <message>` on stderr with exit status 1. */
export class CliError extends Error {
  override name = "CliError";
  readonly exitCode: number = 1;
  constructor(
    readonly code: CliErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A wrong command line: reported like CliError but with exit status 2. */
export class UsageError extends CliError {
  override name = "UsageError";
  override readonly exitCode: number = 2;
  constructor(message: string) {
    super("usage", message);
  }
}
