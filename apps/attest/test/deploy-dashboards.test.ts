import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createDefaultAccount } from "../src/account/account.js";
import { createApp } from "../src/http/app.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";

/** The repository's deploy/ directory (Prometheus and Grafana files of the compose profile). */
const DEPLOY = fileURLToPath(new URL("../../../deploy/", import.meta.url));
const read = (path: string) => readFileSync(`${DEPLOY}${path}`, "utf8");

interface Target {
  expr: string;
  refId: string;
  datasource?: { type: string; uid: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  targets?: Target[];
  panels?: Panel[];
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  refresh: string;
  time: { from: string; to: string };
  panels: Panel[];
}

const DASHBOARDS = {
  "billing-usage.json": "Billing Usage",
  "live-web-app-activity.json": "Live: Web App Activity",
  "summary-activity.json": "Summary: Hourly Activity",
  "summary-daily-activity.json": "Summary: Daily Activity",
  "summary-monthly-activity.json": "Summary: Monthly Activity",
};

/** The metric names an app exposes: the `# TYPE` lines of its real /metrics answer. */
async function exposedMetrics(): Promise<Map<string, string>> {
  const app = createApp({
    account: createDefaultAccount(),
    settings: DEFAULT_SETTINGS,
    processMetrics: true,
    logWriter: () => {},
  });
  const text = await (await app.request("/metrics")).text();
  const types = new Map<string, string>();
  for (const match of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    types.set(match[1] as string, match[2] as string);
  }
  return types;
}

/** Series names a PromQL expression reads: identifiers followed by `{`, `[` or not a call. */
function seriesNames(expr: string): string[] {
  const withoutStrings = expr.replace(/"[^"]*"/g, '""');
  const names = new Set<string>();
  for (const match of withoutStrings.matchAll(/\b(approov_[a-z0-9_]+)\b/g)) {
    names.add(match[1] as string);
  }
  return [...names];
}

/** A histogram's series (`_bucket`, `_sum`, `_count`) stand for the histogram itself. */
function metricOf(series: string, types: Map<string, string>): string | undefined {
  if (types.has(series)) return series;
  const base = series.replace(/_(bucket|sum|count)$/, "");
  return types.get(base) === "histogram" ? base : undefined;
}

const allPanels = (panels: Panel[]): Panel[] =>
  panels.flatMap((panel) => [panel, ...allPanels(panel.panels ?? [])]);

describe("deploy/: the Grafana dashboards", () => {
  it("are exactly the dashboard files named in the provisioning", () => {
    expect(readdirSync(`${DEPLOY}grafana/dashboards`).sort()).toEqual(Object.keys(DASHBOARDS));
    const provider = read("grafana/provisioning/dashboards/dashboards.yml");
    expect(provider).toMatch(/^\s+path: \/var\/lib\/grafana\/dashboards$/m);
    const datasource = read("grafana/provisioning/datasources/prometheus.yml");
    expect(datasource).toMatch(/^\s+uid: prometheus$/m);
    expect(datasource).toMatch(/^\s+url: http:\/\/prometheus:9090$/m);
  });

  for (const [file, title] of Object.entries(DASHBOARDS)) {
    it(`${file}: Grafana's dashboard schema, and every metric its queries read exists`, async () => {
      const dashboard = JSON.parse(read(`grafana/dashboards/${file}`)) as Dashboard;
      expect(dashboard.title).toBe(title);
      expect(dashboard.uid).toMatch(/^[a-z0-9-]{1,40}$/);
      expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
      expect(dashboard.time.to).toBe("now");

      const types = await exposedMetrics();
      const panels = allPanels(dashboard.panels);
      const ids = panels.map((panel) => panel.id);
      expect(new Set(ids).size).toBe(ids.length);
      const used = new Set<string>();
      for (const panel of panels) {
        expect(panel.gridPos.w, panel.title).toBeGreaterThan(0);
        expect(panel.gridPos.x + panel.gridPos.w, panel.title).toBeLessThanOrEqual(24);
        if (panel.type === "row") continue;
        expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
        for (const target of panel.targets ?? []) {
          expect(target.datasource).toEqual({ type: "prometheus", uid: "prometheus" });
          const names = seriesNames(target.expr);
          expect(names.length, `${panel.title}: ${target.expr}`).toBeGreaterThan(0);
          for (const name of names) {
            const metric = metricOf(name, types);
            expect(metric, `${panel.title}: ${name} is not exposed`).toBeDefined();
            used.add(metric as string);
          }
        }
      }
      // Each dashboard shows the token requests, errors and rate-limit refusals.
      expect(used).toContain("approov_token_requests_total");
      expect(used).toContain("approov_rate_limit_refusals_total");
      expect(used).toContain("approov_upstream_check_seconds");
    });
  }

  it("the live dashboard refreshes every 5 s over the last 15 min, with each view the issue names", () => {
    const dashboard = JSON.parse(
      read("grafana/dashboards/live-web-app-activity.json"),
    ) as Dashboard;
    expect(dashboard.refresh).toBe("5s");
    expect(dashboard.time.from).toBe("now-15m");
    const exprs = allPanels(dashboard.panels).flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    for (const grouping of ["by (outcome)", "by (code)", "by (integration", "by (api"]) {
      expect(
        exprs.some((expr) => expr.includes(grouping)),
        grouping,
      ).toBe(true);
    }
    expect(exprs.filter((expr) => expr.startsWith("histogram_quantile(0.5,"))).toHaveLength(1);
    expect(exprs.filter((expr) => expr.startsWith("histogram_quantile(0.95,"))).toHaveLength(1);
  });

  it("the summary dashboard totals per hour", () => {
    const dashboard = JSON.parse(read("grafana/dashboards/summary-activity.json")) as Dashboard;
    const exprs = allPanels(dashboard.panels).flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    for (const grouping of ["by (outcome)", "by (integration)", "by (api)"]) {
      expect(
        exprs.some((expr) => expr.includes(grouping) && expr.includes("[1h]")),
        grouping,
      ).toBe(true);
    }
  });
});

describe("deploy/: the Prometheus configuration", () => {
  it("scrapes attest:8001/metrics every 5 s", async () => {
    const config = read("prometheus/prometheus.yml");
    const job = config.slice(config.indexOf("- job_name: attest"));
    expect(job).toMatch(/^\s+scrape_interval: 5s$/m);
    expect(job).toMatch(/^\s+metrics_path: \/metrics$/m);
    expect(job).toMatch(/^\s+- targets: \["attest:8001"\]$/m);
    // The path scraped is the one the app serves, in Prometheus's text format.
    const app = createApp({
      account: createDefaultAccount(),
      settings: DEFAULT_SETTINGS,
      logWriter: () => {},
    });
    const res = await app.request("/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  });
});
