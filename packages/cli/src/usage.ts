import type { FlagSpec } from "./args.js";
import { API_FLAGS } from "./commands/api.js";
import { METRICS_FLAGS } from "./commands/metrics.js";
import { SDK_FLAGS } from "./commands/sdk.js";
import { TOKEN_FLAGS } from "./commands/token.js";
import { WEB_FLAGS } from "./commands/web.js";

export const COMMANDS = ["api", "web", "token", "metrics", "sdk"] as const;
export type CommandName = (typeof COMMANDS)[number];

const SYNOPSES: Record<CommandName, string[]> = {
  api: [
    "approov api -add <domain> [-allowWeb] [-jwe] [-yes]",
    "approov api -list",
    "approov api -remove <domain> [-yes]",
  ],
  web: [
    "approov web -list",
    "approov web -setTokenLifetime <seconds> | -setRefreshTokenLifetime <seconds> [-yes]",
    "approov web -hcaptcha -add <site key> -secret <secret> [-domain <d>]... [-minScore <0..1>]",
    "            [-includeIP] [-embedResult] [-maxResultLifetime <duration>] [-rateLimit <n>] [-yes]",
    "approov web -recaptcha -add <site key> -secret <secret> [-action <a>]... (+ the hcaptcha options)",
    "approov web -fingerprint -add <public key> -secret <secret key> [-region RoW|EU]",
    "            [-maxElapsedTime <duration>] [-maxBotProbability <0..1>] [-embedResult]",
    "            [-maxResultLifetime <duration>] [-rateLimit <n>] [-yes]",
    "approov web -hcaptcha|-recaptcha|-fingerprint -remove <key> | -setRequired | -setOptional | -list",
  ],
  token: [
    "approov token -check <token>",
    "approov token -genExample <api> [-setDataHashInToken <value>]",
  ],
  metrics: [
    "approov metrics [-noBrowser]",
    "approov metrics -summary",
    "approov metrics [-json] [-watch <seconds>]",
  ],
  sdk: ["approov sdk -packageID approov.js.zip -getClientPackage <file>"],
};

const SUMMARIES: Record<CommandName, string> = {
  api: "register the API domains tokens are issued for",
  web: "configure web protection: lifetimes, hCaptcha, reCAPTCHA, Fingerprint",
  token: "check a token, or issue an example token to test a backend",
  metrics: "open the metrics portal (-summary: the live activity in the terminal)",
  sdk: "write the web SDK package (approov.js in a ZIP archive) to a file",
};

const FLAGS: Record<CommandName, readonly FlagSpec[]> = {
  api: API_FLAGS,
  web: WEB_FLAGS,
  token: TOKEN_FLAGS,
  metrics: METRICS_FLAGS,
  sdk: SDK_FLAGS,
};

const NOTES = [
  "Flags take one dash (--flag works too) and ignore case: -hCaptcha = -hcaptcha.",
  "Durations are seconds (2, 1.5) or take a unit: 500ms, 2s, 5m, 1h.",
  "Changes ask you to type YES; -yes or APPROOV_ASSUME_YES=1 skips that (scripts).",
  "",
  "environment:",
  "  APPROOV_ATTEST_URL   the attest service (default http://127.0.0.1:$ATTEST_PORT, or :8001)",
  "  APPROOV_ADMIN_KEY    the admin key (default: read admin.key in ATTEST_DATA_DIR)",
  "  ATTEST_DATA_DIR      attest's data directory (default .data, from the current directory)",
  "  APPROOV_ASSUME_YES   1: never ask for YES",
];

export function mainUsage(): string {
  const lines = ["usage: approov <command> [flags]", "", "commands:"];
  for (const name of COMMANDS) lines.push(`  ${name.padEnd(8)}${SUMMARIES[name]}`);
  lines.push("  help    this text (approov <command> -help: a command's flags)", "");
  for (const name of COMMANDS) lines.push(...SYNOPSES[name].map((s) => `  ${s}`));
  lines.push("", ...NOTES);
  return `${lines.join("\n")}\n`;
}

export function commandUsage(name: CommandName): string {
  const lines = ["usage:", ...SYNOPSES[name].map((s) => `  ${s}`), "", "flags:"];
  for (const flag of FLAGS[name]) {
    const left = `-${flag.name}${flag.valueName ? ` ${flag.valueName}` : ""}`;
    lines.push(`  ${left.padEnd(38)}${flag.help}${flag.kind === "list" ? " (repeatable)" : ""}`);
  }
  lines.push("", ...NOTES);
  return `${lines.join("\n")}\n`;
}
