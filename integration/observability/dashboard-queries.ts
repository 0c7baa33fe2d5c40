import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The Grafana dashboard JSON this reads: panels (rows nest theirs) and their query targets. */
interface Target {
  expr?: string;
  refId?: string;
  legendFormat?: string;
  instant?: boolean;
  format?: string;
  interval?: string;
}
interface Panel {
  title?: string;
  type?: string;
  interval?: string;
  targets?: Target[];
  panels?: Panel[];
}
interface Dashboard {
  title: string;
  time: { from: string; to: string };
  panels: Panel[];
}

/** One PromQL query as Grafana would send it for a panel's target. */
export interface DashboardQuery {
  /** "<dashboard> / <panel> / <refId>", for messages. */
  name: string;
  /** The expression as written in the JSON, Grafana variables included. */
  rawExpr: string;
  /** Instant targets (stats, tables) answer a vector; the others a matrix over the range. */
  kind: "instant" | "range";
  /** The range step in seconds: the target's or panel's `interval`, else Grafana's minimum. */
  stepSeconds: number;
  /** The dashboard's time range in seconds (`$__range`). */
  rangeSeconds: number;
  /** Labels each returned series must carry: the legend's `{{label}}`s, a table's `by (...)`. */
  labels: string[];
  /** Whether the panel is a table (its columns are the outer `by (...)` labels). */
  table: boolean;
}

const UNIT_SECONDS: Record<string, number> = {
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
  y: 31_536_000,
};

/** A Grafana / Prometheus duration ("5s", "15m", "30d") in seconds. */
export function durationSeconds(text: string): number {
  const match = /^(\d+)([smhdwy])$/.exec(text);
  if (!match) throw new Error(`not a duration: "${text}"`);
  return Number(match[1]) * (UNIT_SECONDS[match[2] as string] as number);
}

/** `now-15m` (a dashboard's `time.from`) in seconds; only ranges ending "now" are used. */
function rangeOf(dashboard: Dashboard): number {
  const match = /^now-(\d+[smhdwy])$/.exec(dashboard.time.from);
  if (!match || dashboard.time.to !== "now") {
    throw new Error(`${dashboard.title}: time range ${dashboard.time.from}..${dashboard.time.to}`);
  }
  return durationSeconds(match[1] as string);
}

const legendLabels = (legend: string): string[] =>
  [...legend.matchAll(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g)].map((m) => m[1] as string);

/** The outermost aggregation's `by (...)` labels: a table's columns. */
function outerByLabels(expr: string): string[] {
  const match = /^\s*\w+\s+by\s*\(([^)]*)\)/.exec(expr);
  return match ? (match[1] as string).split(",").map((label) => label.trim()) : [];
}

const allPanels = (panels: Panel[]): Panel[] =>
  panels.flatMap((panel) => [panel, ...allPanels(panel.panels ?? [])]);

/**
 * Every query target of every dashboard file in `dir`, with what Grafana would send.
 * `minStepSeconds` is the data source's `timeInterval` (the scrape interval): Grafana never
 * steps finer than it.
 */
export function dashboardQueries(dir: string, minStepSeconds: number): DashboardQuery[] {
  const queries: DashboardQuery[] = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith(".json"))) {
    const dashboard = JSON.parse(readFileSync(join(dir, file), "utf8")) as Dashboard;
    const rangeSeconds = rangeOf(dashboard);
    for (const panel of allPanels(dashboard.panels)) {
      for (const target of panel.targets ?? []) {
        const name = `${dashboard.title} / ${panel.title} / ${target.refId}`;
        if (!target.expr) throw new Error(`${name}: a target without expr`);
        const interval = target.interval ?? panel.interval;
        const table = target.format === "table";
        queries.push({
          name,
          rawExpr: target.expr,
          kind: target.instant ? "instant" : "range",
          stepSeconds: interval ? durationSeconds(interval) : minStepSeconds,
          rangeSeconds,
          labels: [
            ...new Set([
              ...legendLabels(target.legendFormat ?? ""),
              ...(table ? outerByLabels(target.expr) : []),
            ]),
          ],
          table,
        });
      }
    }
  }
  return queries;
}

/**
 * The expression with Grafana's variables replaced as Grafana does for this query: `$__range`
 * the dashboard's range, `$__interval` the step, `$__rate_interval` max(step + scrape, 4 x
 * scrape). Any other variable throws, so a new one is handled here before it is used.
 */
export function substituteVariables(query: DashboardQuery, scrapeSeconds: number): string {
  const values: Record<string, number> = {
    __range: query.rangeSeconds,
    __interval: query.stepSeconds,
    __rate_interval: Math.max(query.stepSeconds + scrapeSeconds, 4 * scrapeSeconds),
  };
  return query.rawExpr.replace(/\$\{?(\w+)\}?/g, (_, name: string) => {
    const seconds = values[name];
    if (seconds === undefined) throw new Error(`${query.name}: unknown variable $${name}`);
    return `${seconds}s`;
  });
}
