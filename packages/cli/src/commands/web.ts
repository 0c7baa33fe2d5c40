import { INTEGRATIONS, type Integration } from "../account-view.js";
import {
  type FlagSpec,
  type ParsedFlags,
  parseFlags,
  pickOne,
  refuseFlags,
  wantsHelp,
} from "../args.js";
import { WEB_WARNING } from "../confirm.js";
import { parseDuration } from "../durations.js";
import { UsageError } from "../errors.js";
import {
  parseFraction,
  parseRegion,
  parseSecret,
  parseSiteDomain,
  parseSiteKey,
  parseText,
  parseWhole,
} from "../flag-values.js";
import { formatIntegrationList, formatWebList } from "../format-web-list.js";
import type { CommandContext } from "./context.js";

/** The admin API's lifetime ranges (admin-api.md). */
export const TOKEN_LIFETIME_MAX = 86_400;
export const REFRESH_TOKEN_LIFETIME_MAX = 2_592_000;
const MAX_ACTION_CHARS = 100;
/** Bounds a site's lists so an entry stays far below the 16 KiB body limit. */
const MAX_LIST_ENTRIES = 50;

export const WEB_FLAGS: readonly FlagSpec[] = [
  { name: "list", kind: "switch", help: "list the web configuration (or one integration's)" },
  { name: "hcaptcha", kind: "switch", help: "act on hCaptcha sites" },
  { name: "recaptcha", kind: "switch", help: "act on reCAPTCHA sites" },
  { name: "fingerprint", kind: "switch", help: "act on Fingerprint subscriptions" },
  {
    name: "add",
    kind: "value",
    valueName: "<key>",
    help: "add (or overwrite) a site/subscription",
  },
  { name: "remove", kind: "value", valueName: "<key>", help: "remove a site/subscription" },
  { name: "setRequired", kind: "switch", help: "the integration's result becomes required" },
  { name: "setOptional", kind: "switch", help: "the integration's result becomes optional" },
  { name: "secret", kind: "value", valueName: "<secret>", help: "with -add: the service secret" },
  { name: "domain", kind: "list", valueName: "<domain>", help: "a domain results may come from" },
  {
    name: "action",
    kind: "list",
    valueName: "<action>",
    help: "a reCAPTCHA action accepted",
  },
  {
    name: "minScore",
    kind: "value",
    valueName: "<0..1>",
    help: "lowest score accepted (default 0)",
  },
  { name: "includeIP", kind: "switch", help: "send the client IP to the service" },
  { name: "embedResult", kind: "switch", help: "embed the full result (JWE APIs only)" },
  {
    name: "maxResultLifetime",
    kind: "value",
    valueName: "<duration>",
    help: "result lifetime (default 0: the session)",
  },
  { name: "rateLimit", kind: "value", valueName: "<n>", help: "requests per minute (0: none)" },
  {
    name: "region",
    kind: "value",
    valueName: "<RoW|EU>",
    help: "Fingerprint region (default RoW)",
  },
  {
    name: "maxElapsedTime",
    kind: "value",
    valueName: "<duration>",
    help: "most time from get() to token (default 2s)",
  },
  {
    name: "maxBotProbability",
    kind: "value",
    valueName: "<0..1>",
    help: "highest bot probability (default 1)",
  },
  {
    name: "setTokenLifetime",
    kind: "value",
    valueName: "<seconds>",
    help: "token lifetime, 1..86400",
  },
  {
    name: "setRefreshTokenLifetime",
    kind: "value",
    valueName: "<seconds>",
    help: "session lifetime, 1..2592000",
  },
  { name: "yes", kind: "switch", help: "do not ask for YES (for scripts)" },
  { name: "help", kind: "switch", help: "show this help" },
];

/** Which integrations each -add property applies to. */
const PROPERTY_INTEGRATIONS: Record<string, readonly Integration[]> = {
  secret: ["hcaptcha", "recaptcha", "fingerprint"],
  domain: ["hcaptcha", "recaptcha"],
  action: ["recaptcha"],
  minScore: ["hcaptcha", "recaptcha"],
  includeIP: ["hcaptcha", "recaptcha"],
  embedResult: ["hcaptcha", "recaptcha", "fingerprint"],
  maxResultLifetime: ["hcaptcha", "recaptcha", "fingerprint"],
  rateLimit: ["hcaptcha", "recaptcha", "fingerprint"],
  region: ["fingerprint"],
  maxElapsedTime: ["fingerprint"],
  maxBotProbability: ["fingerprint"],
};
const PROPERTY_FLAGS = Object.keys(PROPERTY_INTEGRATIONS);
const INTEGRATION_OPS = ["add", "remove", "setRequired", "setOptional", "list"] as const;
const LIFETIME_FLAGS = ["setTokenLifetime", "setRefreshTokenLifetime"] as const;

/** The body of `PUT /web/{integration}/{key}`: the whole entry, secret included. */
export type WebEntry = Record<string, unknown> & { secret: string };

export type WebInvocation =
  | { action: "help" }
  | { action: "list" }
  | { action: "list-integration"; integration: Integration }
  | { action: "add"; integration: Integration; key: string; entry: WebEntry; yes: boolean }
  | { action: "remove"; integration: Integration; key: string; yes: boolean }
  | { action: "set-optional"; integration: Integration; optional: boolean; yes: boolean }
  | {
      action: "set-lifetimes";
      tokenLifetimeSeconds?: number;
      refreshTokenLifetimeSeconds?: number;
      yes: boolean;
    };

function listOf(flags: ParsedFlags, name: string, parse: (raw: string) => string): string[] {
  const values = flags.list(name).map(parse);
  if (values.length > MAX_LIST_ENTRIES) {
    throw new UsageError(`-${name} may be given at most ${MAX_LIST_ENTRIES} times`);
  }
  return [...new Set(values)];
}

function optionalValue<T>(
  flags: ParsedFlags,
  name: string,
  parse: (raw: string) => T,
  fallback: T,
) {
  const raw = flags.value(name);
  return raw === undefined ? fallback : parse(raw);
}

/** The full entry for -add: every property, given or default (an addition overwrites all). */
function entryFor(integration: Integration, flags: ParsedFlags): WebEntry {
  const secret = flags.value("secret");
  if (secret === undefined) {
    throw new UsageError(`-add needs -secret <secret> (the ${integration} secret for that key)`);
  }
  const common = {
    secret: parseSecret(secret),
    embedResult: flags.has("embedResult"),
    maxResultLifetimeSeconds: optionalValue(
      flags,
      "maxResultLifetime",
      (raw) => {
        const seconds = parseDuration("maxResultLifetime", raw);
        if (!Number.isInteger(seconds)) {
          throw new UsageError(`maxResultLifetime must be a whole number of seconds, got "${raw}"`);
        }
        return seconds;
      },
      0,
    ),
    rateLimit: optionalValue(flags, "rateLimit", (raw) => parseWhole("rateLimit", raw, 0), 0),
  };
  if (integration === "fingerprint") {
    return {
      ...common,
      region: optionalValue(flags, "region", parseRegion, "RoW"),
      maxElapsedTimeSeconds: optionalValue(
        flags,
        "maxElapsedTime",
        (raw) => {
          const seconds = parseDuration("maxElapsedTime", raw);
          if (seconds <= 0)
            throw new UsageError(`maxElapsedTime must be more than 0, got "${raw}"`);
          return seconds;
        },
        2,
      ),
      maxBotProbability: optionalValue(
        flags,
        "maxBotProbability",
        (raw) => parseFraction("maxBotProbability", raw),
        1,
      ),
    };
  }
  const captcha = {
    ...common,
    domains: listOf(flags, "domain", parseSiteDomain),
    minScore: optionalValue(flags, "minScore", (raw) => parseFraction("minScore", raw), 0),
    includeIP: flags.has("includeIP"),
  };
  if (integration === "hcaptcha") return captcha;
  return {
    ...captcha,
    actions: listOf(flags, "action", (raw) => parseText("action", raw.trim(), MAX_ACTION_CHARS)),
  };
}

function integrationFlag(integration: Integration): string {
  return `-${integration}`;
}

export function parseWebArgs(argv: readonly string[]): WebInvocation {
  if (wantsHelp(argv)) return { action: "help" };
  const flags = parseFlags("web", argv, WEB_FLAGS);
  const yes = flags.has("yes");
  const chosen = INTEGRATIONS.filter((name) => flags.has(name));
  if (chosen.length > 1) {
    throw new UsageError("use one of -hcaptcha, -recaptcha, -fingerprint at a time");
  }
  const integration = chosen[0];

  if (integration === undefined) {
    refuseFlags(
      flags,
      ["add", "remove", "setRequired", "setOptional"],
      "needs an integration: -hcaptcha, -recaptcha or -fingerprint",
    );
    refuseFlags(flags, PROPERTY_FLAGS, "only goes with -add and an integration");
    if (flags.has("list")) {
      refuseFlags(flags, LIFETIME_FLAGS, "cannot be combined with -list");
      return { action: "list" };
    }
    if (!LIFETIME_FLAGS.some((name) => flags.has(name))) {
      throw new UsageError(
        "approov web needs an action: -list, -setTokenLifetime <seconds>, -setRefreshTokenLifetime <seconds>, or an integration (-hcaptcha, -recaptcha, -fingerprint) with -add, -remove, -setRequired, -setOptional or -list",
      );
    }
    const invocation: WebInvocation = { action: "set-lifetimes", yes };
    const token = flags.value("setTokenLifetime");
    if (token !== undefined) {
      invocation.tokenLifetimeSeconds = parseWhole(
        "setTokenLifetime",
        token,
        1,
        TOKEN_LIFETIME_MAX,
        " of seconds",
      );
    }
    const refresh = flags.value("setRefreshTokenLifetime");
    if (refresh !== undefined) {
      invocation.refreshTokenLifetimeSeconds = parseWhole(
        "setRefreshTokenLifetime",
        refresh,
        1,
        REFRESH_TOKEN_LIFETIME_MAX,
        " of seconds",
      );
    }
    return invocation;
  }

  refuseFlags(flags, LIFETIME_FLAGS, "is an account setting: use it without an integration flag");
  const op = pickOne(
    flags,
    INTEGRATION_OPS,
    `approov web ${integrationFlag(integration)} needs one of -add <key>, -remove <key>, -setRequired, -setOptional, -list`,
  );
  if (op !== "add") refuseFlags(flags, PROPERTY_FLAGS, "only goes with -add");
  for (const name of PROPERTY_FLAGS) {
    const allowed = PROPERTY_INTEGRATIONS[name] as readonly Integration[];
    if (flags.has(name) && !allowed.includes(integration)) {
      throw new UsageError(
        `-${name} does not apply to ${integrationFlag(integration)} (only ${allowed.map(integrationFlag).join(", ")})`,
      );
    }
  }
  switch (op) {
    case "list":
      return { action: "list-integration", integration };
    case "setRequired":
    case "setOptional":
      return { action: "set-optional", integration, optional: op === "setOptional", yes };
    case "remove":
      return {
        action: "remove",
        integration,
        key: parseSiteKey("remove", flags.value("remove") as string),
        yes,
      };
    default:
      return {
        action: "add",
        integration,
        key: parseSiteKey("add", flags.value("add") as string),
        entry: entryFor(integration, flags),
        yes,
      };
  }
}

/** What an entry is called in messages: Fingerprint has subscriptions, the captchas sites. */
function entryNoun(integration: Integration): string {
  return integration === "fingerprint" ? "subscription" : "site";
}

export async function runWeb(
  invocation: Exclude<WebInvocation, { action: "help" }>,
  ctx: CommandContext,
): Promise<void> {
  const client = await ctx.client();
  switch (invocation.action) {
    case "list":
      ctx.write(formatWebList(await client.account()));
      return;
    case "list-integration":
      ctx.write(formatIntegrationList(await client.account(), invocation.integration));
      return;
    case "add": {
      const { integration, key } = invocation;
      await ctx.confirm(WEB_WARNING, invocation.yes);
      await client.putWebEntry(integration, key, invocation.entry);
      ctx.write(`${integration} ${entryNoun(integration)} ${key} added\n`);
      return;
    }
    case "remove": {
      const { integration, key } = invocation;
      await ctx.confirm(WEB_WARNING, invocation.yes);
      await client.deleteWebEntry(integration, key);
      ctx.write(`${integration} ${entryNoun(integration)} ${key} removed\n`);
      return;
    }
    case "set-optional": {
      await ctx.confirm(WEB_WARNING, invocation.yes);
      await client.setOptional(invocation.integration, invocation.optional);
      ctx.write(
        `${invocation.integration} is now ${invocation.optional ? "optional" : "required"}\n`,
      );
      return;
    }
    case "set-lifetimes": {
      await ctx.confirm(WEB_WARNING, invocation.yes);
      const lifetimes: { tokenLifetimeSeconds?: number; refreshTokenLifetimeSeconds?: number } = {};
      if (invocation.tokenLifetimeSeconds !== undefined) {
        lifetimes.tokenLifetimeSeconds = invocation.tokenLifetimeSeconds;
      }
      if (invocation.refreshTokenLifetimeSeconds !== undefined) {
        lifetimes.refreshTokenLifetimeSeconds = invocation.refreshTokenLifetimeSeconds;
      }
      const now = await client.setLifetimes(lifetimes);
      ctx.write(`Token Lifetime: ${now.tokenLifetimeSeconds} seconds\n`);
      ctx.write(`Refresh Token Lifetime: ${now.refreshTokenLifetimeSeconds} seconds\n`);
      return;
    }
  }
}
