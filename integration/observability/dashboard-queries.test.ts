// The parts of the dashboards' test that need no Prometheus: Grafana's variables, what an
// expression reads, and the shape check on answers Prometheus gives.
import { describe, expect, it } from "vitest";
import { type DashboardQuery, durationSeconds, substituteVariables } from "./dashboard-queries.js";
import { labelNamesIn, queryProblems, seriesNamesOf } from "./query-shape.js";

const query = (rawExpr: string, overrides: Partial<DashboardQuery> = {}): DashboardQuery => ({
  name: "test",
  rawExpr,
  kind: "range",
  stepSeconds: 1,
  rangeSeconds: 900,
  labels: [],
  table: false,
  ...overrides,
});

describe("Grafana's variables, as Grafana substitutes them", () => {
  it("$__range is the dashboard's range, $__interval the step", () => {
    expect(substituteVariables(query("increase(x[$__range])"), 1)).toBe("increase(x[900s])");
    expect(substituteVariables(query("rate(x[$__interval])", { stepSeconds: 60 }), 1)).toBe(
      "rate(x[60s])",
    );
  });

  it("$__rate_interval is max(step + scrape, 4 x scrape)", () => {
    expect(substituteVariables(query("rate(x[$__rate_interval])"), 5)).toBe("rate(x[20s])");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's ${var} form, literally
    const braced = query("rate(x[${__rate_interval}])", { stepSeconds: 60 });
    expect(substituteVariables(braced, 5)).toBe("rate(x[65s])");
  });

  it("an unknown variable throws rather than reach Prometheus", () => {
    expect(() => substituteVariables(query('x{api="$api"}'), 1)).toThrow(/unknown variable \$api/);
  });

  it("durations", () => {
    expect([durationSeconds("5s"), durationSeconds("1h"), durationSeconds("30d")]).toEqual([
      5, 3600, 2_592_000,
    ]);
    expect(() => durationSeconds("1.5h")).toThrow(/not a duration/);
  });
});

describe("what an expression reads", () => {
  const expr =
    'histogram_quantile(0.95, sum by (le, integration) (rate(approov_upstream_check_seconds_bucket{result!="error"}[5m])))';

  it("series names: not functions, keywords, label names or strings", () => {
    expect(seriesNamesOf(expr)).toEqual(["approov_upstream_check_seconds_bucket"]);
    expect(seriesNamesOf('sum(a{x="b"}) / on (y) group_left c')).toEqual(["a", "c"]);
  });

  it("label names: in matchers and clauses", () => {
    expect(labelNamesIn(expr).sort()).toEqual(["integration", "le", "result"]);
    expect(labelNamesIn('a{x=~"y", z!="w"}').sort()).toEqual(["x", "z"]);
  });
});

describe("the shape check", () => {
  const known = new Set(["outcome", "__name__"]);
  const vector = {
    status: "success" as const,
    data: {
      resultType: "vector" as const,
      result: [{ metric: { outcome: "valid" }, value: [1, "2"] as [number, string] }],
    },
  };

  it("passes an instant answer with the legend's labels and a positive sample", () => {
    const instant = query("x", { kind: "instant", labels: ["outcome"] });
    expect(queryProblems(instant, "sum by (outcome) (x)", vector, known)).toEqual([]);
  });

  it("a range panel answered a vector, a missing legend label, only zeros", () => {
    const zeros = {
      ...vector,
      data: { ...vector.data, result: [{ metric: {}, value: [1, "0"] as [number, string] }] },
    };
    expect(queryProblems(query("x", { labels: ["outcome"] }), "x", zeros, known)).toEqual([
      "result is a vector, not a matrix",
      "a series lacks the label(s) outcome its panel shows",
      "no sample above 0: the load does not show",
    ]);
  });

  it("NaN is not data (histogram_quantile over no observations)", () => {
    const nan = {
      ...vector,
      data: { ...vector.data, result: [{ metric: {}, value: [1, "NaN"] as [number, string] }] },
    };
    expect(queryProblems(query("x", { kind: "instant" }), "x", nan, known)).toEqual([
      "no sample above 0: the load does not show",
    ]);
  });
});
