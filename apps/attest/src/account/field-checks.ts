import { MAX_LIST_ENTRIES } from "@shapes/protocol";
import { ServiceError } from "../http/service-error.js";
/**
 * One bad field of the account file or of an admin request body. `field` is the path of
 * the field as the caller names it (`<integration>.sites["k"].minScore` in the file, `minScore`
 * in an admin body); `problem` the rule it breaks. Never carries the value (it may be a secret).
 */
export class FieldError extends ServiceError {
  override name = "FieldError";
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super("field-invalid", `${field} ${problem}`);
  }
}

export type Json = Record<string, unknown>;

const fail = (field: string, problem: string): never => {
  throw new FieldError(field, problem);
};

/** `prefix` + `name`, with a dot only when there is a prefix. */
export function fieldPath(prefix: string, name: string): string {
  return prefix === "" ? name : `${prefix}.${name}`;
}

export function object(v: unknown, field: string): Json {
  return typeof v === "object" && v !== null && !Array.isArray(v)
    ? (v as Json)
    : fail(field, "must be an object");
}

/** Unknown fields are refused so that a typo (e.g. "minscore") is not silently ignored. */
export function onlyKnown(o: Json, prefix: string, known: readonly string[]): void {
  for (const key of Object.keys(o)) {
    if (!known.includes(key)) fail(fieldPath(prefix, key), "is not a known field");
  }
}

export function bool(v: unknown, field: string, fallback?: boolean): boolean {
  if (v === undefined && fallback !== undefined) return fallback;
  return typeof v === "boolean" ? v : fail(field, "must be true or false");
}

export function int(v: unknown, field: string, min: number, max: number, fallback?: number) {
  if (v === undefined && fallback !== undefined) return fallback;
  return typeof v === "number" && Number.isInteger(v) && v >= min && v <= max
    ? v
    : fail(field, `must be a whole number between ${min} and ${max}`);
}

/** A number in 0..1 (scores, probabilities). */
export function fraction(v: unknown, field: string, fallback: number): number {
  if (v === undefined) return fallback;
  return typeof v === "number" && v >= 0 && v <= 1
    ? v
    : fail(field, "must be a number between 0 and 1");
}

/** A duration that may be fractional, more than 0 and at most `max` seconds. */
export function positiveSeconds(v: unknown, field: string, max: number, fallback: number) {
  if (v === undefined) return fallback;
  return typeof v === "number" && Number.isFinite(v) && v > 0 && v <= max
    ? v
    : fail(field, `must be a number of seconds greater than 0 and at most ${max}`);
}

export function oneOf<T extends string>(
  v: unknown,
  field: string,
  values: readonly T[],
  fallback: T,
): T {
  if (v === undefined) return fallback;
  return values.includes(v as T) ? (v as T) : fail(field, `must be ${values.join(" or ")}`);
}

/** Longest secret accepted: real ones are under 100 characters. */
export const MAX_SECRET_CHARS = 1024;
const SECRET = /^[\x21-\x7e]+$/;

export function secret(v: unknown, field: string): string {
  return typeof v === "string" && v.length <= MAX_SECRET_CHARS && SECRET.test(v)
    ? v
    : fail(field, `must be 1 to ${MAX_SECRET_CHARS} printable ASCII characters without spaces`);
}

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const HOST_NAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`, "i");

export function isHostName(value: string): boolean {
  return value.length <= 253 && HOST_NAME.test(value);
}

/** A list of host names (what a captcha service reports as `hostname`), lower-cased. */
export function hostList(v: unknown, field: string): string[] {
  if (v === undefined) return [];
  if (
    !Array.isArray(v) ||
    v.length > MAX_LIST_ENTRIES ||
    !v.every((d) => typeof d === "string" && isHostName(d))
  ) {
    fail(field, `must be a list of host names (at most ${MAX_LIST_ENTRIES})`);
  }
  return [...new Set((v as string[]).map((d) => d.toLowerCase()))];
}

const MAX_TEXT_CHARS = 100;
/** A control character (C0 or DEL): checked by code, the linter refuses them in a regex. */
const hasControl = (text: string) =>
  [...text].some((ch) => (ch.codePointAt(0) ?? 0) < 0x20 || ch === "\x7f");

/** A list of short texts without control characters (e.g. a site's actions). */
export function textList(v: unknown, field: string): string[] {
  if (v === undefined) return [];
  if (
    !Array.isArray(v) ||
    v.length > MAX_LIST_ENTRIES ||
    !v.every(
      (t) => typeof t === "string" && t !== "" && t.length <= MAX_TEXT_CHARS && !hasControl(t),
    )
  ) {
    fail(
      field,
      `must be a list of at most ${MAX_LIST_ENTRIES} texts of 1 to ${MAX_TEXT_CHARS} characters`,
    );
  }
  return [...new Set(v as string[])];
}

export { fail };
