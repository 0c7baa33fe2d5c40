import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { ATTENTION, assumeYesFromEnv, confirmChange, WEB_WARNING } from "../src/confirm.js";
import { CliError } from "../src/errors.js";

function terminal(isTTY: boolean) {
  const stdin = Object.assign(new PassThrough(), { isTTY });
  const stdout = new PassThrough();
  let shown = "";
  stdout.on("data", (chunk: Buffer) => {
    shown += chunk.toString();
  });
  return { io: { stdin, stdout }, stdin, shown: () => shown };
}

async function failure(promise: Promise<unknown>): Promise<CliError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return error as CliError;
  }
  throw new Error("expected a CliError");
}

describe("confirmChange", () => {
  it("shows the seed's warning and question, and goes on after YES", async () => {
    const t = terminal(true);
    const answer = confirmChange(WEB_WARNING, t.io, false);
    t.stdin.write("YES\n");
    await answer;
    expect(t.shown()).toBe(`${WEB_WARNING}\n${ATTENTION}`);
    expect(ATTENTION).toBe("ATTENTION: If you wish to continue then please type YES and return: ");
  });

  it.each(["no\n", "yes\n", "Y\n", "\n", "YESS\n"])("aborts on %j", async (typed) => {
    const t = terminal(true);
    const answer = confirmChange(WEB_WARNING, t.io, false);
    t.stdin.write(typed);
    const error = await failure(answer);
    expect(error.code).toBe("aborted");
    expect(error.message).toBe("aborted: nothing changed");
    expect(error.exitCode).toBe(1);
  });

  it("aborts when the input ends before an answer", async () => {
    const t = terminal(true);
    const answer = confirmChange(WEB_WARNING, t.io, false);
    t.stdin.end();
    expect((await failure(answer)).code).toBe("aborted");
  });

  it("refuses without a terminal, and asks nothing", async () => {
    const t = terminal(false);
    const error = await failure(confirmChange(WEB_WARNING, t.io, false));
    expect(error.code).toBe("not-a-terminal");
    expect(error.message).toBe(
      "this command changes the account; run it in a terminal to confirm, or add -yes",
    );
    expect(t.shown()).toBe("");
  });

  it("asks nothing with assumeYes, even without a terminal", async () => {
    const t = terminal(false);
    await confirmChange(WEB_WARNING, t.io, true);
    expect(t.shown()).toBe("");
  });
});

describe("assumeYesFromEnv", () => {
  it.each([
    [undefined, false],
    ["", false],
    ["0", false],
    ["false", false],
    ["1", true],
    ["true", true],
    ["YES", true],
  ])("reads APPROOV_ASSUME_YES=%j as %j", (value, expected) => {
    expect(assumeYesFromEnv({ APPROOV_ASSUME_YES: value })).toBe(expected);
  });

  it("refuses anything else", () => {
    expect(() => assumeYesFromEnv({ APPROOV_ASSUME_YES: "maybe" })).toThrow(
      'APPROOV_ASSUME_YES must be 1 or 0, got "maybe"',
    );
  });
});
