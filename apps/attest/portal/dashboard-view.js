// Draws a dashboard: tiles, a Chart.js chart per panel (window.Chart, served by attest),
// and under each chart a table of the numbers it draws. Every label is set as text, never
// as HTML.

/** Series colours where a dashboard names none (outcomes have their own). */
const PALETTE = [
  "#2657c9",
  "#8e44ad",
  "#16a2b8",
  "#c9a227",
  "#e06c9f",
  "#5b6478",
  "#3fa34d",
  "#b5542a",
];

const el = (tag, attributes = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  for (const child of children) node.append(child);
  return node;
};

function bucketLabel(period, iso) {
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, "0");
  const day = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  if (period === "minute") return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  if (period === "hour") return `${day.slice(5)} ${pad(d.getUTCHours())}:00`;
  if (period === "day") return day;
  return day.slice(0, 7);
}

const formatValue = (value) => (value === null || value === undefined ? "-" : String(value));

/** The chart's numbers as a table (the DOM holds what the chart draws). */
function seriesTable(chart, period, buckets, total, keys) {
  const head = el(
    "tr",
    {},
    el("th", {}, "start (UTC)"),
    ...keys.map((key) => el("th", {}, chart.series.label?.(key) ?? key)),
  );
  const rows = buckets.map((bucket) =>
    el(
      "tr",
      { "data-start": bucket.start },
      el("td", {}, bucketLabel(period, bucket.start)),
      ...keys.map((key) =>
        el("td", { "data-series": key }, formatValue(chart.series.value(bucket, key))),
      ),
    ),
  );
  const totalRow = el(
    "tr",
    { "data-total": "" },
    el("th", {}, "total"),
    ...keys.map((key) =>
      el(
        "td",
        { "data-series": key },
        formatValue(
          chart.series.total ? chart.series.total(total, key) : chart.series.value(total, key),
        ),
      ),
    ),
  );
  return el(
    "details",
    {},
    el("summary", {}, "Numbers"),
    el(
      "div",
      { class: "table-scroll" },
      el(
        "table",
        { "data-chart": chart.id },
        el("thead", {}, head),
        el("tbody", {}, ...rows, totalRow),
      ),
    ),
  );
}

/** The charts on the page, destroyed before the next render. */
const charts = new Map();

function drawChart(canvas, chart, period, buckets, keys) {
  const datasets = keys.map((key, index) => {
    const color = chart.series.color?.(key) ?? PALETTE[index % PALETTE.length];
    return {
      label: chart.series.label?.(key) ?? key,
      data: buckets.map((bucket) => chart.series.value(bucket, key)),
      backgroundColor: color,
      borderColor: color,
      borderWidth: chart.type === "line" ? 2 : 0,
      pointRadius: chart.type === "line" ? 2 : 0,
      spanGaps: false,
    };
  });
  const labels = buckets.map((bucket) => bucketLabel(period, bucket.start));
  const Chart = /** @type {any} */ (window).Chart;
  charts.set(
    canvas.id,
    new Chart(canvas, {
      type: chart.type,
      data: { labels, datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
        scales: {
          x: {
            stacked: chart.stacked,
            ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 12 },
          },
          y: { stacked: chart.stacked, beginAtZero: true, ticks: { precision: 0 } },
        },
      },
    }),
  );
}

function panel(tab, chart, answer, buckets) {
  const keys = chart.series.keys(buckets);
  const canvasId = `chart-${tab}-${chart.id}`;
  const section = el(
    "section",
    { class: "panel", "data-panel": chart.id },
    el("h3", {}, chart.title),
  );
  const hasData =
    keys.length > 0 &&
    buckets.some((bucket) => keys.some((key) => (chart.series.value(bucket, key) ?? 0) > 0));
  if (!hasData) {
    section.append(el("p", { class: "empty" }, "No data in this range yet."));
  }
  const canvas = el("canvas", { id: canvasId, role: "img", "aria-label": chart.title });
  section.append(
    el("div", { class: "chart-box" }, canvas),
    seriesTable(chart, answer.period, buckets, answer.total, keys),
  );
  return { section, draw: () => drawChart(canvas, chart, answer.period, buckets, keys) };
}

function tiles(specs, total) {
  return el(
    "div",
    { class: "tiles" },
    ...specs.map(([id, label, pick]) =>
      el(
        "div",
        { class: "tile" },
        el("div", { class: "label" }, label),
        el("div", { class: "value", "data-stat": id }, String(pick(total))),
      ),
    ),
  );
}

/** The total of the last `count` buckets (the live hour out of the two kept). */
export function lastBuckets(answer, count) {
  if (!count || answer.buckets.length <= count) return answer;
  const buckets = answer.buckets.slice(-count);
  const total = structuredClone(answer.total);
  for (const key of ["requests", "valid", "invalid", "error", "rateLimited"]) {
    total[key] = buckets.reduce((sum, bucket) => sum + bucket[key], 0);
  }
  for (const key of ["tokens", "freshChecks", "refreshes", "upstreamChecks"]) {
    total.billing[key] = buckets.reduce((sum, bucket) => sum + bucket.billing[key], 0);
  }
  const sumMap = (pick) => {
    const out = {};
    for (const bucket of buckets) {
      for (const [key, value] of Object.entries(pick(bucket))) {
        if (typeof value === "number") out[key] = (out[key] ?? 0) + value;
        else {
          const into = out[key] ?? { valid: 0, invalid: 0, error: 0 };
          out[key] = into;
          into.valid += value.valid;
          into.invalid += value.invalid;
          into.error += value.error;
        }
      }
    }
    return out;
  };
  total.errors = sumMap((b) => b.errors);
  total.refusedBy = sumMap((b) => b.refusedBy);
  total.byEndpoint = sumMap((b) => b.byEndpoint);
  total.byIntegration = sumMap((b) => b.byIntegration);
  total.byApi = sumMap((b) => b.byApi);
  total.billing.tokensByApi = sumMap((b) => b.billing.tokensByApi);
  // Latency quantiles cannot be summed: the totals row shows the whole kept range's.
  return { ...answer, buckets, total };
}

/**
 * Draws `dashboard` into `main` from its period's answer (and, for Billing, the months'),
 * replacing what was there.
 */
export function renderDashboard(main, tab, dashboard, answer, months) {
  const panels = dashboard.charts.map((chart) => panel(tab, chart, answer, answer.buckets));
  if (months) panels.push(panel(tab, dashboard.months, months, months.buckets));
  // Redrawn from scratch on each refresh: new series (a new error code, an API) may appear.
  for (const chart of charts.values()) chart.destroy();
  charts.clear();
  const where =
    answer.store === "redis"
      ? "Redis (every attest instance adds to it)"
      : answer.store === "file"
        ? "attest's data directory"
        : "attest's memory only (lost at restart)";
  const empty = answer.total.requests === 0 && (!months || months.total.requests === 0);
  main.replaceChildren(
    el("h2", {}, dashboard.title),
    el(
      "p",
      { class: "subtitle" },
      `${dashboard.subtitle} Kept in ${where}; each instance adds its counts every ${answer.flushSeconds} s.`,
    ),
    ...(empty
      ? [
          el(
            "p",
            { class: "notice", "data-empty": "" },
            "No web protection requests recorded in this range yet.",
          ),
        ]
      : []),
    tiles(dashboard.tiles, answer.total),
    el("div", { class: "charts" }, ...panels.map((p) => p.section)),
  );
  main.dataset.tab = tab;
  main.dataset.period = answer.period;
  main.dataset.updated = answer.now;
  for (const p of panels) p.draw();
}
