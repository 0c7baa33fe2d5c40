import {
  type EntryField,
  INTEGRATIONS,
  type Integration,
  type IntegrationDescriptor,
  integrationDescriptor,
  MAX_LIST_ENTRIES,
  MAX_REFRESH_LIFETIME_SECONDS,
  MAX_TOKEN_LIFETIME_SECONDS,
} from "@shapes/protocol";
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

const MAX_ACTION_CHARS = 100;

export const WEB_FLAGS: readonly FlagSpec[] = [
  { name: "list", kind: "switch", help: "list the web configuration (or one integration's)" },
  ...INTEGRATIONS.map(
    (d): FlagSpec => ({
      name: d.cliFlag,
      kind: "switch",
      help: `act on ${d.title} ${d.entriesKey}`,
    }),
  ),
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

/** Which integrations each -add property flag applies to (from their entry fields). */
const PROPERTY_INTEGRATIONS: Readonly<Record<string, readonly IntegrationDescriptor[]>> =
  Object.fromEntries(
    [...new Set(INTEGRATIONS.flatMap((d) => d.entryFields.map((f) => f.flag)))].map((flag) => [
      flag,
      INTEGRATIONS.filter((d) => d.entryFields.some((f) => f.flag === flag)),
    ]),
  );
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

function wholeSeconds(flag: string, raw: string): number {
  const seconds = parseDuration(flag, raw);
  if (!Number.isInteger(seconds)) {
    throw new UsageError(`${flag} must be a whole number of seconds, got "${raw}"`);
  }
  return seconds;
}

function positiveSeconds(flag: string, raw: string): number {
  const seconds = parseDuration(flag, raw);
  if (seconds <= 0) throw new UsageError(`${flag} must be more than 0, got "${raw}"`);
  return seconds;
}

/** One property of -add from its flag, by the field's kind (omitted: its default). */
function fieldValue(field: EntryField, flags: ParsedFlags): unknown {
  const { flag } = field;
  switch (field.kind) {
    case "hosts":
      return listOf(flags, flag, parseSiteDomain);
    case "texts":
      return listOf(flags, flag, (raw) => parseText(flag, raw.trim(), MAX_ACTION_CHARS));
    case "boolean":
      return flags.has(flag);
    case "fraction":
      return optionalValue(flags, flag, (raw) => parseFraction(flag, raw), field.default);
    case "seconds":
      return optionalValue(flags, flag, (raw) => wholeSeconds(flag, raw), field.default);
    case "positive-seconds":
      return optionalValue(flags, flag, (raw) => positiveSeconds(flag, raw), field.default);
    case "whole":
      return optionalValue(flags, flag, (raw) => parseWhole(flag, raw, 0), field.default);
    case "region":
      return optionalValue(flags, flag, parseRegion, field.default);
    default:
      return parseSecret(flags.value(flag) as string);
  }
}

/** The full entry for -add: every property, given or default (an addition overwrites all). */
function entryFor(d: IntegrationDescriptor, flags: ParsedFlags): WebEntry {
  if (flags.value("secret") === undefined) {
    throw new UsageError(`-add needs -secret <secret> (the ${d.name} secret for that key)`);
  }
  return Object.fromEntries(
    d.entryFields.map((field) => [field.name, fieldValue(field, flags)]),
  ) as WebEntry;
}

function integrationFlag(d: IntegrationDescriptor): string {
  return `-${d.cliFlag}`;
}

/** `-a, -b or -c` (`joiner` ", " for `-a, -b, -c`). */
function flagList(descriptors: readonly IntegrationDescriptor[], last = " or "): string {
  const flags = descriptors.map(integrationFlag);
  return flags.length < 2
    ? flags.join("")
    : `${flags.slice(0, -1).join(", ")}${last}${flags.at(-1)}`;
}

export function parseWebArgs(argv: readonly string[]): WebInvocation {
  if (wantsHelp(argv)) return { action: "help" };
  const flags = parseFlags("web", argv, WEB_FLAGS);
  const yes = flags.has("yes");
  const chosen = INTEGRATIONS.filter((d) => flags.has(d.cliFlag));
  if (chosen.length > 1) {
    throw new UsageError(`use one of ${flagList(INTEGRATIONS, ", ")} at a time`);
  }
  const descriptor = chosen[0];

  if (descriptor === undefined) {
    refuseFlags(
      flags,
      ["add", "remove", "setRequired", "setOptional"],
      `needs an integration: ${flagList(INTEGRATIONS)}`,
    );
    refuseFlags(flags, PROPERTY_FLAGS, "only goes with -add and an integration");
    if (flags.has("list")) {
      refuseFlags(flags, LIFETIME_FLAGS, "cannot be combined with -list");
      return { action: "list" };
    }
    if (!LIFETIME_FLAGS.some((name) => flags.has(name))) {
      throw new UsageError(
        `approov web needs an action: -list, -setTokenLifetime <seconds>, -setRefreshTokenLifetime <seconds>, or an integration (${flagList(INTEGRATIONS, ", ")}) with -add, -remove, -setRequired, -setOptional or -list`,
      );
    }
    const invocation: WebInvocation = { action: "set-lifetimes", yes };
    const token = flags.value("setTokenLifetime");
    if (token !== undefined) {
      invocation.tokenLifetimeSeconds = parseWhole(
        "setTokenLifetime",
        token,
        1,
        MAX_TOKEN_LIFETIME_SECONDS,
        " of seconds",
      );
    }
    const refresh = flags.value("setRefreshTokenLifetime");
    if (refresh !== undefined) {
      invocation.refreshTokenLifetimeSeconds = parseWhole(
        "setRefreshTokenLifetime",
        refresh,
        1,
        MAX_REFRESH_LIFETIME_SECONDS,
        " of seconds",
      );
    }
    return invocation;
  }

  refuseFlags(flags, LIFETIME_FLAGS, "is an account setting: use it without an integration flag");
  const op = pickOne(
    flags,
    INTEGRATION_OPS,
    `approov web ${integrationFlag(descriptor)} needs one of -add <key>, -remove <key>, -setRequired, -setOptional, -list`,
  );
  if (op !== "add") refuseFlags(flags, PROPERTY_FLAGS, "only goes with -add");
  for (const name of PROPERTY_FLAGS) {
    const allowed = PROPERTY_INTEGRATIONS[name] as readonly IntegrationDescriptor[];
    if (flags.has(name) && !allowed.includes(descriptor)) {
      throw new UsageError(
        `-${name} does not apply to ${integrationFlag(descriptor)} (only ${allowed.map(integrationFlag).join(", ")})`,
      );
    }
  }
  const integration = descriptor.name as Integration;
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
        entry: entryFor(descriptor, flags),
        yes,
      };
  }
}

/** What an entry is called in messages: a site, a subscription. */
function entryNoun(integration: Integration): string {
  return integrationDescriptor(integration).entriesKey.replace(/s$/, "");
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
