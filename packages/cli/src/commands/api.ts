import { type FlagSpec, parseFlags, pickOne, refuseFlags, wantsHelp } from "../args.js";
import { API_REMOVE_WARNING, API_WARNING } from "../confirm.js";
import { parseApiDomain } from "../flag-values.js";
import type { CommandContext } from "./context.js";

export const API_FLAGS: readonly FlagSpec[] = [
  { name: "add", kind: "value", valueName: "<domain>", help: "add (or overwrite) an API domain" },
  { name: "allowWeb", kind: "switch", help: "with -add: web protection may issue tokens for it" },
  { name: "jwe", kind: "switch", help: "with -add: encrypt its tokens (JWE, A256GCMKW)" },
  { name: "list", kind: "switch", help: "list the registered API domains" },
  { name: "remove", kind: "value", valueName: "<domain>", help: "remove an API domain" },
  { name: "yes", kind: "switch", help: "do not ask for YES (for scripts)" },
  { name: "help", kind: "switch", help: "show this help" },
];

export type ApiInvocation =
  | { action: "help" }
  | { action: "list" }
  | { action: "add"; domain: string; allowWeb: boolean; jwe: boolean; yes: boolean }
  | { action: "remove"; domain: string; yes: boolean };

export function parseApiArgs(argv: readonly string[]): ApiInvocation {
  if (wantsHelp(argv)) return { action: "help" };
  const flags = parseFlags("api", argv, API_FLAGS);
  const action = pickOne(
    flags,
    ["add", "list", "remove"],
    "approov api needs one of -add <domain>, -list, -remove <domain>",
  );
  if (action !== "add") refuseFlags(flags, ["allowWeb", "jwe"], "only goes with -add");
  const yes = flags.has("yes");
  if (action === "add") {
    return {
      action,
      domain: parseApiDomain(flags.value("add") as string),
      allowWeb: flags.has("allowWeb"),
      jwe: flags.has("jwe"),
      yes,
    };
  }
  if (action === "remove") {
    return { action, domain: parseApiDomain(flags.value("remove") as string), yes };
  }
  return { action: "list" };
}

export async function runApi(
  invocation: Exclude<ApiInvocation, { action: "help" }>,
  ctx: CommandContext,
): Promise<void> {
  const client = await ctx.client();
  switch (invocation.action) {
    case "list": {
      const { apis } = await client.account();
      const domains = Object.keys(apis).sort();
      if (domains.length === 0) {
        ctx.write("no APIs registered (add one with: approov api -add <domain> -allowWeb)\n");
        return;
      }
      for (const domain of domains) {
        const api = apis[domain] as { allowWeb: boolean; jwe: boolean };
        // Every API of this service uses the account secret (HS256); -jwe adds encryption.
        const parts = [
          "alg:HS256",
          ...(api.jwe ? ["enc:A256GCMKW"] : []),
          ...(api.allowWeb ? ["web"] : []),
        ];
        ctx.write(`${domain}: ${parts.join(", ")}\n`);
      }
      return;
    }
    case "add": {
      await ctx.confirm(API_WARNING, invocation.yes);
      const answer = await client.putApi(invocation.domain, {
        allowWeb: invocation.allowWeb,
        jwe: invocation.jwe,
      });
      const enc = answer.enc ? `, enc:${answer.enc}` : "";
      ctx.write(`added API domain ${answer.domain} with type:account, alg:${answer.alg}${enc}\n`);
      if (answer.allowWeb) ctx.write(`web protection enabled for ${answer.domain}\n`);
      return;
    }
    case "remove": {
      await ctx.confirm(API_REMOVE_WARNING, invocation.yes);
      await client.deleteApi(invocation.domain);
      ctx.write(`removed API domain ${invocation.domain}\n`);
      return;
    }
  }
}
