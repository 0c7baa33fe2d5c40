import { onTestFinished, vi } from "vitest";

export interface CapturedOutput {
  /** Everything written since the capture began. */
  readonly text: string;
}

/**
 * Captures what the running test's process writes from now on instead of printing it:
 * stdout, and with `all` stderr, console.log and console.error too. Ends with
 * vi.restoreAllMocks() (so that a failed assertion prints), at the latest with the test.
 */
export function captureOutput(options: { all?: boolean } = {}): CapturedOutput {
  const output = { text: "" };
  const capture = ((chunk: string | Uint8Array) => {
    output.text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
    return true;
  }) as typeof process.stdout.write;
  const spies: { mockRestore(): void }[] = [
    vi.spyOn(process.stdout, "write").mockImplementation(capture),
  ];
  if (options.all) {
    spies.push(
      vi.spyOn(process.stderr, "write").mockImplementation(capture),
      vi.spyOn(console, "log").mockImplementation((...args) => capture(`${args.join(" ")}\n`)),
      vi.spyOn(console, "error").mockImplementation((...args) => capture(`${args.join(" ")}\n`)),
    );
  }
  onTestFinished(() => {
    for (const spy of spies) spy.mockRestore();
  });
  return output;
}

/** Captured output as log lines: one JSON object a line, or an error naming the line that is not. */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .trim()
    .split("\n")
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON log line: ${line}`);
      }
    });
}
