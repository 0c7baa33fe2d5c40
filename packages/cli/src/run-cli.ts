import { AdminClient, attestUrlFromEnv } from "./admin-client.js";
import { loadAdminKey } from "./admin-key.js";
import { parseApiArgs, runApi } from "./commands/api.js";
import type { CommandContext } from "./commands/context.js";
import { parseMetricsArgs, runMetrics } from "./commands/metrics.js";
import { parseSdkArgs, runSdk } from "./commands/sdk.js";
import { parseTokenArgs, runToken } from "./commands/token.js";
import { parseWebArgs, runWeb } from "./commands/web.js";
import { assumeYesFromEnv, confirmChange } from "./confirm.js";
import { CliError, UsageError } from "./errors.js";
import { COMMANDS, type CommandName, commandUsage, mainUsage } from "./usage.js";

export interface CliIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
  cwd: string;
}

const HELP_WORDS = new Set(["help", "-help", "--help", "-h"]);

/** What a command's run step gets besides its invocation. */
interface RunExtras {
  cwd: string;
  /** Whether stdout is a terminal (metrics redraws, opens a browser). */
  terminal: boolean;
}

/** A command: its argument parser, and its run step for every invocation but help. */
interface Command<Invocation extends { action: string }> {
  parse(argv: readonly string[]): Invocation;
  run(
    invocation: Exclude<Invocation, { action: "help" }>,
    ctx: CommandContext,
    extras: RunExtras,
  ): Promise<void>;
}

const command = <I extends { action: string }>(c: Command<I>) =>
  c as unknown as Command<{
    action: string;
  }>;

/** Every command, once: its name, how it reads its arguments, how it runs. */
const COMMAND_TABLE: Record<CommandName, Command<{ action: string }>> = {
  api: command({ parse: parseApiArgs, run: (i, ctx) => runApi(i, ctx) }),
  web: command({ parse: parseWebArgs, run: (i, ctx) => runWeb(i, ctx) }),
  token: command({ parse: parseTokenArgs, run: (i, ctx) => runToken(i, ctx) }),
  sdk: command({ parse: parseSdkArgs, run: (i, ctx, { cwd }) => runSdk(i, ctx, { cwd }) }),
  metrics: command({
    parse: parseMetricsArgs,
    run: (i, ctx, { terminal }) => runMetrics(i, ctx, { terminal }),
  }),
};

function commandName(word: string): CommandName {
  const name = word.toLowerCase();
  if ((COMMANDS as readonly string[]).includes(name)) return name as CommandName;
  throw new UsageError(
    `unknown command "${word.slice(0, 40)}" (commands: ${COMMANDS.join(", ")}; see approov help)`,
  );
}

function context(io: CliIo): CommandContext {
  let client: Promise<AdminClient> | undefined;
  return {
    write: (text) => {
      io.stdout.write(text);
    },
    client: () => {
      client ??= (async () => {
        const attestUrl = attestUrlFromEnv(io.env);
        return new AdminClient(attestUrl, await loadAdminKey(io.env, io.cwd));
      })();
      return client;
    },
    confirm: (warning, yes) =>
      confirmChange(
        warning,
        { stdin: io.stdin, stdout: io.stdout },
        yes || assumeYesFromEnv(io.env),
      ),
  };
}

/** Runs one `approov ...` command line; returns the exit status (0 ok, 1 failed, 2 usage). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [word, ...rest] = argv;
  try {
    if (word === undefined) {
      io.stderr.write(mainUsage());
      return 2;
    }
    if (HELP_WORDS.has(word.toLowerCase())) {
      const topic = rest[0];
      io.stdout.write(topic === undefined ? mainUsage() : commandUsage(commandName(topic)));
      return 0;
    }
    const name = commandName(word);
    const { parse, run } = COMMAND_TABLE[name];
    const invocation = parse(rest);
    if (invocation.action === "help") io.stdout.write(commandUsage(name));
    else {
      const terminal = (io.stdout as { isTTY?: boolean }).isTTY === true;
      await run(invocation, context(io), { cwd: io.cwd, terminal });
    }
    return 0;
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`approov: ${error.message}\n`);
      return error.exitCode;
    }
    // A bug: say so briefly, without a stack (it could quote arguments such as secrets).
    io.stderr.write(
      `approov: internal error (${error instanceof Error ? error.name : "unknown"}); please report it\n`,
    );
    return 1;
  }
}
