import { UsageError } from "./errors.js";

/** `switch`: present or not; `value`: one value; `list`: may repeat, values collected. */
export type FlagKind = "switch" | "value" | "list";

export interface FlagSpec {
  /** The seed's spelling, e.g. `allowWeb`; matched case-insensitively. */
  name: string;
  kind: FlagKind;
  /** Shown in help and in "needs a value" errors, e.g. `<domain>`. */
  valueName?: string;
  help: string;
}

export interface ParsedFlags {
  /** Whether a flag (by its canonical name) was given. */
  has(name: string): boolean;
  /** The value of a `value` flag, if given. */
  value(name: string): string | undefined;
  /** The values of a `list` flag, in order (empty when not given). */
  list(name: string): string[];
  /** Canonical names of the flags given, in the order first seen. */
  names(): string[];
}

/** `-flag`, `--flag`, and `-flag=value`; names are letters and digits. */
const FLAG_PATTERN = /^--?([A-Za-z][A-Za-z0-9]*)(?:=([\s\S]*))?$/;

/**
 * Parses the flags after the command word. Flags are single-dash as in the seeds, a double
 * dash is accepted too, and names are case-insensitive (`-hCaptcha` = `-hcaptcha`). A value
 * flag takes the next word, unless that word is itself a flag of this command (then the
 * value is missing, the usual typo).
 */
export function parseFlags(
  command: string,
  argv: readonly string[],
  specs: readonly FlagSpec[],
): ParsedFlags {
  const byLowerName = new Map(specs.map((spec) => [spec.name.toLowerCase(), spec]));
  const isKnownFlag = (token: string) => {
    const match = FLAG_PATTERN.exec(token);
    return match?.[1] !== undefined && byLowerName.has(match[1].toLowerCase());
  };
  const seen = new Map<string, string[]>();

  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    const match = FLAG_PATTERN.exec(token);
    if (!match?.[1]) {
      throw new UsageError(
        // By position, never by value: a stray word is often a secret missing its -secret.
        `unexpected argument ${i + 1} after "approov ${command}" (not a flag; flags start with -, see approov ${command} -help)`,
      );
    }
    const spec = byLowerName.get(match[1].toLowerCase());
    if (!spec) {
      throw new UsageError(
        `unknown flag -${match[1]} for "approov ${command}" (see approov ${command} -help)`,
      );
    }
    const inline = match[2];
    const values = seen.get(spec.name) ?? [];
    if (spec.kind === "switch") {
      if (inline !== undefined) throw new UsageError(`-${spec.name} takes no value`);
      seen.set(spec.name, values);
      continue;
    }
    let value: string | undefined = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next !== undefined && !isKnownFlag(next)) {
        value = next;
        i++;
      }
    }
    if (value === undefined || value.trim() === "") {
      throw new UsageError(`-${spec.name} needs a value ${spec.valueName ?? ""}`.trimEnd());
    }
    if (spec.kind === "value" && values.length > 0) {
      throw new UsageError(`-${spec.name} is given more than once`);
    }
    values.push(value);
    seen.set(spec.name, values);
  }

  return {
    has: (name) => seen.has(name),
    value: (name) => seen.get(name)?.[0],
    list: (name) => [...(seen.get(name) ?? [])],
    names: () => [...seen.keys()],
  };
}

/** The one flag of `names` that was given; a usage error for none (`missing`) or several. */
export function pickOne(flags: ParsedFlags, names: readonly string[], missing: string): string {
  const given = names.filter((name) => flags.has(name));
  if (given.length === 0) throw new UsageError(missing);
  if (given.length > 1) {
    throw new UsageError(`use one of ${given.map((n) => `-${n}`).join(", ")} at a time`);
  }
  return given[0] as string;
}

/** A usage error when any of `names` was given (they make no sense with `context`). */
export function refuseFlags(flags: ParsedFlags, names: readonly string[], context: string): void {
  for (const name of names) {
    if (flags.has(name)) throw new UsageError(`-${name} ${context}`);
  }
}

/** Whether the words ask for help (`-help`, `--help`, `-h`): it wins over any other error. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.some((word) => /^--?(help|h)$/i.test(word));
}
