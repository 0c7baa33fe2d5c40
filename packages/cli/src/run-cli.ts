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
    const ctx = context(io);
    if (name === "api") {
      const invocation = parseApiArgs(rest);
      if (invocation.action === "help") io.stdout.write(commandUsage(name));
      else await runApi(invocation, ctx);
    } else if (name === "web") {
      const invocation = parseWebArgs(rest);
      if (invocation.action === "help") io.stdout.write(commandUsage(name));
      else await runWeb(invocation, ctx);
    } else if (name === "token") {
      const invocation = parseTokenArgs(rest);
      if (invocation.action === "help") io.stdout.write(commandUsage(name));
      else await runToken(invocation, ctx);
    } else if (name === "sdk") {
      const invocation = parseSdkArgs(rest);
      if (invocation.action === "help") io.stdout.write(commandUsage(name));
      else await runSdk(invocation, ctx, { cwd: io.cwd });
    } else {
      const invocation = parseMetricsArgs(rest);
      if (invocation.action === "help") io.stdout.write(commandUsage(name));
      else {
        const terminal = (io.stdout as { isTTY?: boolean }).isTTY === true;
        await runMetrics(invocation, ctx, { terminal });
      }
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
