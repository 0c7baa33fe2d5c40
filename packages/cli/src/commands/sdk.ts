import { resolve } from "node:path";
import { type FlagSpec, parseFlags, wantsHelp } from "../args.js";
import { CliError, UsageError } from "../errors.js";
import { parseText } from "../flag-values.js";
import { buildWebSdkPackage, PACKAGE_IDS, type PackageId, webSdkPath } from "../web-sdk-package.js";
import { writeFileAtomic } from "../write-file-atomic.js";
import type { CommandContext } from "./context.js";

/** Linux's PATH_MAX: longer is a mistake, not a path. */
export const MAX_PATH_CHARS = 4096;

export const SDK_FLAGS: readonly FlagSpec[] = [
  {
    name: "packageID",
    kind: "value",
    valueName: "<id>",
    help: `the SDK package: ${PACKAGE_IDS.join(", ")} (the web SDK)`,
  },
  {
    name: "getClientPackage",
    kind: "value",
    valueName: "<file>",
    help: "write the package (a ZIP archive) to <file>, replacing it if it exists",
  },
  { name: "help", kind: "switch", help: "show this help" },
];

const EXAMPLE = "approov sdk -packageID approov.js.zip -getClientPackage approov.js.zip";

export type SdkInvocation =
  | { action: "help" }
  | { action: "get-package"; packageId: PackageId; path: string };

export function parseSdkArgs(argv: readonly string[]): SdkInvocation {
  if (wantsHelp(argv)) return { action: "help" };
  const flags = parseFlags("sdk", argv, SDK_FLAGS);
  const id = flags.value("packageID");
  const path = flags.value("getClientPackage");
  if (path === undefined) {
    throw new UsageError(`approov sdk needs -getClientPackage <file> (for example: ${EXAMPLE})`);
  }
  if (id === undefined) {
    throw new UsageError(`approov sdk needs -packageID <id> (for example: ${EXAMPLE})`);
  }
  const packageId = PACKAGE_IDS.find((known) => known === id);
  if (packageId === undefined) {
    // Not a syntax error: a package that does not exist (exit 1), as an unknown site key is.
    throw new CliError(
      "unknown-package",
      `unknown package ID ${JSON.stringify(id.slice(0, 40))} (valid IDs: ${PACKAGE_IDS.join(", ")})`,
    );
  }
  return {
    action: "get-package",
    packageId,
    path: parseText("getClientPackage", path, MAX_PATH_CHARS),
  };
}

export interface SdkOptions {
  /** Relative paths are taken from here (the user's current directory). */
  cwd: string;
  /** The built approov.js; by default the one of the installed @shapes/web-sdk. */
  sdkPath?: string;
}

export async function runSdk(
  invocation: Exclude<SdkInvocation, { action: "help" }>,
  ctx: CommandContext,
  options: SdkOptions,
): Promise<void> {
  const archive = await buildWebSdkPackage(options.sdkPath ?? webSdkPath());
  const target = resolve(options.cwd, invocation.path);
  await writeFileAtomic(target, archive);
  ctx.write(`web SDK package ${invocation.packageId} written to ${target}\n`);
}
