import { createInterface } from "node:readline";
import { CliError } from "./errors.js";

/** The seed's warnings before a change (its exact words). */
export const API_WARNING =
  "WARNING: adding the API will have an immediate impact on your apps in production.";
export const API_REMOVE_WARNING =
  "WARNING: removing the API will have an immediate impact on your apps in production.";
export const WEB_WARNING =
  "WARNING: changing the web configuration will have an immediate impact in production";
export const ATTENTION = "ATTENTION: If you wish to continue then please type YES and return: ";

export interface ConfirmIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
}

/** Reads one line; null when the input ends first. */
function readLine(io: ConfirmIo, prompt: string): Promise<string | null> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: io.stdin, output: io.stdout });
    let answered = false;
    rl.once("close", () => {
      if (!answered) resolve(null);
    });
    rl.question(prompt, (answer) => {
      answered = true;
      rl.close();
      resolve(answer);
    });
  });
}

/**
 * Asks the user to type YES before a change, as the seed's CLI does. `assumeYes` (the
 * `-yes` flag or APPROOV_ASSUME_YES=1) skips the question for scripts; without it and without
 * a terminal the change is refused, so a pipe can never confirm by accident.
 */
export async function confirmChange(
  warning: string,
  io: ConfirmIo,
  assumeYes: boolean,
): Promise<void> {
  if (assumeYes) return;
  if (!io.stdin.isTTY) {
    throw new CliError(
      "not-a-terminal",
      "this command changes the account; run it in a terminal to confirm, or add -yes",
    );
  }
  io.stdout.write(`${warning}\n`);
  const answer = await readLine(io, ATTENTION);
  if (answer?.trim() !== "YES") throw new CliError("aborted", "aborted: nothing changed");
}

/** Whether env APPROOV_ASSUME_YES asks to skip confirmations (`1`, `true` or `yes`). */
export function assumeYesFromEnv(env: Record<string, string | undefined>): boolean {
  const raw = env.APPROOV_ASSUME_YES?.trim().toLowerCase();
  if (!raw || raw === "0" || raw === "false" || raw === "no") return false;
  if (raw === "1" || raw === "true" || raw === "yes") return true;
  throw new CliError(
    "bad-env",
    `APPROOV_ASSUME_YES must be 1 or 0, got "${env.APPROOV_ASSUME_YES}"`,
  );
}
