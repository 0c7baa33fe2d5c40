import type {
  ActivityCounts,
  ActivitySummaryJson,
  OutcomeCounts,
  UpstreamSummary,
} from "@shapes/protocol";
import { CliError } from "./errors.js";

/** The live activity summary of one attest instance (the admin API's answer). */
export type MetricsSummary = ActivitySummaryJson;
export type { ActivityCounts, OutcomeCounts, UpstreamSummary };

type Json = Record<string, unknown>;

/** More names than any real summary has (label values are bounded in attest). */
const MAX_KEYS = 1000;

function badAnswer(what: string): CliError {
  return new CliError("bad-answer", `unexpected answer from the attest service: ${what}`);
}

function object(value: unknown, where: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badAnswer(`${where} is not an object`);
  }
  return value as Json;
}

function count(json: Json, key: string, where: string): number {
  const value = json[key];
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw badAnswer(`${where}.${key} is not a count`);
  }
  return value;
}

function milliseconds(json: Json, key: string, where: string): number | null {
  const value = json[key];
  if (value === null) return null;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw badAnswer(`${where}.${key} is not a duration`);
  }
  return value;
}

/** A map of names to values, each read with `entry`; names are shown, so bounded. */
function named<T>(value: unknown, where: string, entry: (parent: Json, key: string) => T) {
  const json = object(value, where);
  const keys = Object.keys(json);
  if (keys.length > MAX_KEYS) throw badAnswer(`${where} has too many entries`);
  const result: Record<string, T> = {};
  for (const key of keys) {
    if (key.length === 0 || key.length > 300) throw badAnswer(`${where} has a bad name`);
    result[key] = entry(json, key);
  }
  return result;
}

/** A map of names to objects, each read with `entry`. */
const namedObjects = <T>(value: unknown, where: string, entry: (json: Json, at: string) => T) =>
  named(value, where, (parent, key) =>
    entry(object(parent[key], `${where}.${key}`), `${where}.${key}`),
  );

function counts(value: unknown, where: string): ActivityCounts {
  const json = object(value, where);
  return {
    requests: count(json, "requests", where),
    valid: count(json, "valid", where),
    invalid: count(json, "invalid", where),
    errors: named(json.errors, `${where}.errors`, (parent, key) =>
      count(parent, key, `${where}.errors`),
    ),
    rateLimited: count(json, "rateLimited", where),
  };
}

const outcomes = (json: Json, where: string): OutcomeCounts => ({
  valid: count(json, "valid", where),
  invalid: count(json, "invalid", where),
  error: count(json, "error", where),
});

/** Checks the shape of a summary answer (anything else is a bad answer, not a crash). */
export function parseMetricsSummary(value: unknown): MetricsSummary {
  const json = object(value, "summary");
  if (typeof json.since !== "string" || Number.isNaN(Date.parse(json.since))) {
    throw badAnswer("summary.since is not a time");
  }
  const windowJson = object(json.window, "window");
  return {
    since: json.since,
    window: { seconds: count(windowJson, "seconds", "window"), ...counts(windowJson, "window") },
    total: counts(json.total, "total"),
    byIntegration: namedObjects(json.byIntegration, "byIntegration", outcomes),
    byApi: namedObjects(json.byApi, "byApi", outcomes),
    upstream: namedObjects(json.upstream, "upstream", (entry, where) => ({
      count: count(entry, "count", where),
      p50Ms: milliseconds(entry, "p50Ms", where),
      p95Ms: milliseconds(entry, "p95Ms", where),
    })),
  };
}
