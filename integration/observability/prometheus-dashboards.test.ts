// The deploy files against the real thing: Debian's Prometheus with deploy/prometheus/
// prometheus.yml (targets and intervals adapted) scrapes a real attest under a bounded load,
// and every PromQL expression of deploy/grafana/dashboards/*.json is evaluated through its
// HTTP API and must answer data of the shape its panel shows.
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AttestProcess, startAttest } from "../cli/attest-process.js";
import { type SandboxProcess, startSandbox } from "../cli/sandbox-process.js";
import { HCAPTCHA_SAFE, type LoadRound, loadRound } from "./attest-load.js";
import { type DashboardQuery, dashboardQueries, substituteVariables } from "./dashboard-queries.js";
import {
  labelNamesOf,
  latestScrapeSeconds,
  type QueryWindow,
  queryPrometheus,
} from "./prometheus-api.js";
import {
  type PrometheusProcess,
  promtoolCheckConfig,
  startPrometheus,
} from "./prometheus-process.js";
import { queryProblems, seriesNamesOf } from "./query-shape.js";
import { adaptScrapeConfig, withoutTargetsAndIntervals } from "./scrape-config.js";

const DEPLOY = fileURLToPath(new URL("../../deploy/", import.meta.url));
const REAL_CONFIG = join(DEPLOY, "prometheus/prometheus.yml");
const DASHBOARDS = join(DEPLOY, "grafana/dashboards");
/** In this suite's port range (19400-19499); PROMETHEUS_TEST_PORT moves it. */
const PROMETHEUS_PORT = Number(process.env.PROMETHEUS_TEST_PORT ?? 19490);
/** Scrape every second: the load shows within seconds, and Grafana steps no finer. */
const SCRAPE_SECONDS = 1;
const SCRAPE_WAIT_MS = 15_000;

let sandbox: SandboxProcess | undefined;
let attest: AttestProcess | undefined;
let prometheus: PrometheusProcess | undefined;
let adaptedConfig = "";
let loadStartSeconds = 0;
const rounds: LoadRound[] = [];

/** Now in Unix seconds, not rounded: the load spans about two seconds, a rounded-down time misses it. */
const nowSeconds = () => Date.now() / 1000;

/** Waits until Prometheus holds a successful scrape of attest that started after `sinceMs`. */
async function scrapedAfter(sinceMs: number): Promise<void> {
  const deadline = Date.now() + SCRAPE_WAIT_MS;
  while (Date.now() < deadline) {
    const last = await latestScrapeSeconds(prometheus?.url as string, "attest");
    if (last !== undefined && last * 1000 > sinceMs) return;
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(
    `no scrape of attest after ${new Date(sinceMs).toISOString()}:\n${prometheus?.output()}`,
  );
}

/** The window Grafana would ask for: instant at `now`, or the range since the load, on steps ending `now`. */
function windowOf(query: DashboardQuery, atSeconds: number): QueryWindow {
  if (query.kind === "instant") return { kind: "instant", timeSeconds: atSeconds };
  const steps = Math.max(1, Math.ceil((atSeconds - loadStartSeconds) / query.stepSeconds) + 1);
  return {
    kind: "range",
    startSeconds: atSeconds - steps * query.stepSeconds,
    endSeconds: atSeconds,
    stepSeconds: query.stepSeconds,
  };
}

/** Runs a query and lists its problems (see queryProblems): the one assertion of this file. */
async function problemsOf(query: DashboardQuery, expr: string, atSeconds: number) {
  const url = prometheus?.url as string;
  const known = new Set<string>();
  for (const series of seriesNamesOf(expr)) {
    for (const label of await labelNamesOf(url, series)) known.add(label);
  }
  const answer = await queryPrometheus(url, expr, windowOf(query, atSeconds));
  return queryProblems(query, expr, answer, known);
}

beforeAll(async () => {
  sandbox = await startSandbox();
  attest = await startAttest({ HCAPTCHA_SITEVERIFY_URL: `${sandbox.url}/siteverify` });
  const account = await attest.accountFile();
  const adminKey = await attest.adminKey();
  // One request a minute for the safe-user key: its second request is a refusal (429).
  const limited = await fetch(`${attest.url}/admin/v1/web/hcaptcha/${HCAPTCHA_SAFE[0]}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
    body: JSON.stringify({ secret: "0x0000000000000000000000000000000000000000", rateLimit: 1 }),
  });
  expect(limited.status).toBe(200);

  adaptedConfig = adaptScrapeConfig(readFileSync(REAL_CONFIG, "utf8"), {
    targets: { attest: [new URL(attest.url).host] },
    interval: `${SCRAPE_SECONDS}s`,
  });
  prometheus = await startPrometheus(adaptedConfig, PROMETHEUS_PORT);

  // Two rounds with a scrape between: series born in round 1 increase in round 2, so
  // increase() and rate() see the load (a counter first seen at 1 has not increased yet).
  await scrapedAfter(Date.now());
  loadStartSeconds = nowSeconds();
  for (let round = 0; round < 2; round++) {
    rounds.push(await loadRound(attest.url, account.siteKey as string));
    await scrapedAfter(Date.now());
  }
}, 90_000);

afterAll(async () => {
  await prometheus?.stop();
  await attest?.stop();
  await sandbox?.stop();
});

describe("deploy/prometheus/prometheus.yml", () => {
  it("passes promtool check config, as is and adapted to the test's targets", async () => {
    expect(await promtoolCheckConfig(REAL_CONFIG)).toMatch(/SUCCESS/);
    const dir = await mkdtemp(join(tmpdir(), "shapes-promtool-"));
    try {
      await writeFile(join(dir, "prometheus.yml"), adaptedConfig);
      expect(await promtoolCheckConfig(join(dir, "prometheus.yml"))).toMatch(/SUCCESS/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("the test changed only targets and intervals of the real file", () => {
    expect(withoutTargetsAndIntervals(adaptedConfig)).toEqual(
      withoutTargetsAndIntervals(readFileSync(REAL_CONFIG, "utf8")),
    );
  });

  it("scrapes attest's /metrics: the target is up", async () => {
    const answer = await queryPrometheus(prometheus?.url as string, 'up{job="attest"}', {
      kind: "instant",
      timeSeconds: Date.now() / 1000,
    });
    expect(answer.data?.result.map((series) => [series.metric.service, series.value?.[1]])).toEqual(
      [["attest", "1"]],
    );
  });
});

describe("the load went through attest as planned", () => {
  it("every outcome, a refusal, /attest, /token and /refresh", () => {
    expect(rounds).toEqual([
      { attest: [200, 200, 200, 429, 400], token: [200, 200], refresh: [200, 200] },
      { attest: [200, 200, 429, 429, 400], token: [200, 200], refresh: [200, 200] },
    ]);
  });

  it("and Prometheus holds all of it: its total is the one attest counted", async () => {
    const text = await (await fetch(`${attest?.url}/metrics`)).text();
    const counted = [...text.matchAll(/^approov_token_requests_total\{[^}]*\} (\d+)$/gm)].reduce(
      (sum, match) => sum + Number(match[1]),
      0,
    );
    expect(counted).toBeGreaterThan(20);
    const answer = await queryPrometheus(
      prometheus?.url as string,
      "sum(approov_token_requests_total)",
      {
        kind: "instant",
        timeSeconds: nowSeconds(),
      },
    );
    expect(answer.data?.result[0]?.value?.[1]).toBe(String(counted));
  });
});

describe("deploy/grafana/dashboards/*.json: every PromQL expression answers what its panel shows", () => {
  const queries = dashboardQueries(DASHBOARDS, SCRAPE_SECONDS);

  it("finds the five dashboards' queries", () => {
    const dashboards = new Set(queries.map((query) => query.name.split(" / ")[0]));
    expect([...dashboards].sort()).toEqual([
      "Billing Usage",
      "Live: Web App Activity",
      "Summary: Daily Activity",
      "Summary: Hourly Activity",
      "Summary: Monthly Activity",
    ]);
  });

  for (const query of queries) {
    it(query.name, async () => {
      const expr = substituteVariables(query, SCRAPE_SECONDS);
      expect(await problemsOf(query, expr, nowSeconds()), expr).toEqual([]);
    });
  }
});

describe("the same assertion fails a typo", () => {
  // Panels as they are in the dashboards, with one mistake each.
  const byCode: DashboardQuery = {
    name: "typo",
    rawExpr: "",
    kind: "range",
    stepSeconds: SCRAPE_SECONDS,
    rangeSeconds: 900,
    labels: ["code"],
    table: false,
  };
  const stat: DashboardQuery = { ...byCode, kind: "instant", labels: [] };
  // [what is typo'd, the panel, the expression, what the assertion must say]
  const typos: [string, DashboardQuery, string, RegExp][] = [
    [
      "a metric name",
      byCode,
      'sum by (code) (rate(approov_token_request_total{outcome="error"}[4s]))',
      /no series/,
    ],
    [
      "a label in a matcher",
      byCode,
      'sum by (code) (rate(approov_token_requests_total{outcom="error"}[4s]))',
      /label "outcom" is on no series/,
    ],
    [
      "a label value",
      byCode,
      'sum by (code) (rate(approov_token_requests_total{outcome="eror"}[4s]))',
      /no series/,
    ],
    [
      "a label in by ()",
      byCode,
      'sum by (cod) (rate(approov_token_requests_total{outcome="error"}[4s]))',
      /label "cod" is on no series(.|\n)*lacks the label\(s\) code/,
    ],
    [
      "a label in a != matcher (the query still answers)",
      stat,
      'sum(increase(approov_token_requests_total{outcom!="error"}[900s]))',
      /^label "outcom" is on no series it reads$/,
    ],
    [
      "the syntax",
      stat,
      'sum(increase(approov_token_requests_total{outcome!="error"}[900s])',
      /prometheus refused it: bad_data/,
    ],
    [
      "a histogram series",
      byCode,
      "histogram_quantile(0.5, sum by (le, integration) (rate(approov_upstream_check_second_bucket[4s])))",
      /no series/,
    ],
  ];

  it("the untouched expression passes (so each typo below is what fails)", async () => {
    const expr = 'sum by (code) (rate(approov_token_requests_total{outcome="error"}[4s]))';
    expect(await problemsOf(byCode, expr, nowSeconds())).toEqual([]);
  });

  for (const [what, query, expr, says] of typos) {
    it(`a typo in ${what}`, async () => {
      expect((await problemsOf(query, expr, nowSeconds())).join("\n")).toMatch(says);
    });
  }
});
