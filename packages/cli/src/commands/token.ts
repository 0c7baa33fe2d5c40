import { type FlagSpec, parseFlags, pickOne, refuseFlags, wantsHelp } from "../args.js";
import { CliError } from "../errors.js";
import { parseApiDomain, parseText } from "../flag-values.js";
import type { CommandContext } from "./context.js";

/** Far above any real token (a JWE of this service is under 1 KiB), below the body limit. */
export const MAX_TOKEN_CHARS = 12_000;
export const MAX_DATA_HASH_CHARS = 4096;

export const TOKEN_FLAGS: readonly FlagSpec[] = [
  { name: "check", kind: "value", valueName: "<token>", help: "verify a token, print its claims" },
  {
    name: "genExample",
    kind: "value",
    valueName: "<api>",
    help: "issue a valid example token for a registered API",
  },
  {
    name: "setDataHashInToken",
    kind: "value",
    valueName: "<value>",
    help: "with -genExample: bind the token to this value (pay claim)",
  },
  { name: "help", kind: "switch", help: "show this help" },
];

export type TokenInvocation =
  | { action: "help" }
  | { action: "check"; token: string }
  | { action: "example"; api: string; dataHash?: string };

export function parseTokenArgs(argv: readonly string[]): TokenInvocation {
  if (wantsHelp(argv)) return { action: "help" };
  const flags = parseFlags("token", argv, TOKEN_FLAGS);
  const action = pickOne(
    flags,
    ["check", "genExample"],
    "approov token needs one of -check <token>, -genExample <api>",
  );
  if (action === "check") {
    refuseFlags(flags, ["setDataHashInToken"], "only goes with -genExample");
    return {
      action: "check",
      token: parseText("token", (flags.value("check") as string).trim(), MAX_TOKEN_CHARS),
    };
  }
  const invocation: TokenInvocation = {
    action: "example",
    api: parseApiDomain(flags.value("genExample") as string),
  };
  const dataHash = flags.value("setDataHashInToken");
  if (dataHash !== undefined) {
    invocation.dataHash = parseText("setDataHashInToken", dataHash, MAX_DATA_HASH_CHARS);
  }
  return invocation;
}

export async function runToken(
  invocation: Exclude<TokenInvocation, { action: "help" }>,
  ctx: CommandContext,
): Promise<void> {
  const client = await ctx.client();
  if (invocation.action === "check") {
    const result = await client.checkToken(invocation.token);
    if (!result.valid) throw new CliError("invalid-token", `invalid token: ${result.reason}`);
    // Compact JSON, as the quickstart says: "The output of the Approov CLI is not formatted".
    ctx.write(`${JSON.stringify(result.claims)}\n`);
    return;
  }
  ctx.write(`${await client.exampleToken(invocation.api, invocation.dataHash)}\n`);
}
