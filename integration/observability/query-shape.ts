import type { DashboardQuery } from "./dashboard-queries.js";
import type { QueryResponse } from "./prometheus-api.js";

/** PromQL words that look like series names but are not. */
const KEYWORDS = new Set([
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "bool",
  "offset",
  "and",
  "or",
  "unless",
  "inf",
  "nan",
]);
/** Clauses whose parentheses hold label names. */
const LABEL_CLAUSE = /\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g;

const withoutStrings = (expr: string) => expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');

/** The series names an expression reads (identifiers not called, outside braces and clauses). */
export function seriesNamesOf(expr: string): string[] {
  const bare = withoutStrings(expr)
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(LABEL_CLAUSE, " ");
  const names = new Set<string>();
  for (const match of bare.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)) {
    const name = match[1] as string;
    if (!KEYWORDS.has(name.toLowerCase())) names.add(name);
  }
  return [...names];
}

/** The label names an expression refers to: in matchers and in by / without / on clauses. */
export function labelNamesIn(expr: string): string[] {
  const text = withoutStrings(expr);
  const names = new Set<string>();
  for (const braces of text.matchAll(/\{([^}]*)\}/g)) {
    for (const matcher of (braces[1] as string).matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)/g)) {
      names.add(matcher[1] as string);
    }
  }
  for (const clause of text.matchAll(LABEL_CLAUSE)) {
    for (const label of (clause[2] as string).split(",")) {
      if (label.trim()) names.add(label.trim());
    }
  }
  return [...names];
}

/**
 * What is wrong with a dashboard query's answer, as a list of problems (empty: the panel
 * would show data): Prometheus accepted it; the shape Grafana expects (vector for instant
 * targets, matrix over a range); at least one series; every series carries the labels the
 * legend or table shows; some sample is a positive number (the load is seen); and every label
 * it names exists on a series it reads (`knownLabels`: what Prometheus holds for them), so a
 * typo'd label in a `!=` matcher or a `by` clause fails too, though such a query may answer.
 */
export function queryProblems(
  query: Pick<DashboardQuery, "kind" | "labels">,
  expr: string,
  answer: QueryResponse,
  knownLabels: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  for (const label of labelNamesIn(expr)) {
    if (!knownLabels.has(label)) problems.push(`label "${label}" is on no series it reads`);
  }
  if (answer.status !== "success" || !answer.data) {
    problems.push(`prometheus refused it: ${answer.errorType}: ${answer.error}`);
    return problems;
  }
  const expected = query.kind === "instant" ? "vector" : "matrix";
  if (answer.data.resultType !== expected) {
    problems.push(`result is a ${answer.data.resultType}, not a ${expected}`);
  }
  const result = answer.data.result;
  if (result.length === 0) {
    problems.push("no series: the panel would say No data");
    return problems;
  }
  for (const series of result) {
    const missing = query.labels.filter((label) => series.metric[label] === undefined);
    if (missing.length > 0) {
      problems.push(`a series lacks the label(s) ${missing} its panel shows`);
      break;
    }
  }
  const samples = result.flatMap((series) => series.values ?? (series.value ? [series.value] : []));
  const positive = samples.some(([, value]) => Number.isFinite(Number(value)) && Number(value) > 0);
  if (!positive) problems.push("no sample above 0: the load does not show");
  return problems;
}
