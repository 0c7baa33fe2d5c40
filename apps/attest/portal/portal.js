// The metrics portal: five dashboards over attest's activity buckets
// (GET metrics/buckets?period=), drawn with Chart.js (window.Chart, served by attest).
// Access: a read-only session in sessionStorage, opened from the one-time ticket in the
// URL's fragment (`approov metrics` puts it there; fragments never reach a server or a
// log), or from a key typed in the form (sent once, never kept). Same-origin fetches only
// (the page's CSP allows nothing else); every label is set as text, never as HTML.

const SESSION_KEY = "approov-portal-session";
const LIVE_REFRESH_MS = 10_000;
const COLORS = {
  valid: "#2e9e5b",
  invalid: "#f08c2e",
  error: "#d64545",
};
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
const OUTCOMES = [
  ["valid", "valid"],
  ["invalid", "decoy"],
  ["error", "error"],
];

/** @typedef {{ start: string, requests: number, valid: number, invalid: number, error: number, rateLimited: number, refusedBy: Record<string, number>, byEndpoint: Record<string, {valid:number, invalid:number, error:number}>, byIntegration: Record<string, {valid:number, invalid:number, error:number}>, byApi: Record<string, {valid:number, invalid:number, error:number}>, errors: Record<string, number>, upstream: Record<string, {count:number, passed:number, failed:number, error:number, p50Ms:number|null, p95Ms:number|null}>, billing: {tokens:number, tokensByApi: Record<string, number>, freshChecks:number, refreshes:number, upstreamChecks:number} }} Bucket */
/** @typedef {{ period: string, now: string, store: string, flushSeconds: number, buckets: Bucket[], total: Bucket }} BucketsAnswer */

const sumOutcomes = (counts) => counts.valid + counts.invalid + counts.error;
const keysOf = (buckets, pick) => {
  const keys = new Set();
  for (const bucket of buckets) for (const key of Object.keys(pick(bucket))) keys.add(key);
  return [...keys].sort();
};

/** Series by outcome: valid, decoy, error. */
const outcomeSeries = () => ({
  keys: () => OUTCOMES.map(([key]) => key),
  label: (key) => OUTCOMES.find(([k]) => k === key)?.[1] ?? key,
  value: (bucket, key) => bucket[key],
  color: (key) => COLORS[key],
});
/** Series per key of an OutcomeCounts map (requests of each key). */
const perKeySeries = (pick) => ({
  keys: (buckets) => keysOf(buckets, pick),
  value: (bucket, key) => {
    const counts = pick(bucket)[key];
    return counts ? sumOutcomes(counts) : 0;
  },
});
/** Series per key of a plain count map. */
const countSeries = (pick) => ({
  keys: (buckets) => keysOf(buckets, pick),
  value: (bucket, key) => pick(bucket)[key] ?? 0,
});
/** Upstream p50 / p95 per integration, in ms (no value where no check was made). */
const latencySeries = () => ({
  keys: (buckets) =>
    keysOf(buckets, (b) => b.upstream).flatMap((name) => [`${name} p50`, `${name} p95`]),
  value: (bucket, key) => {
    const [name, q] = key.split(" ");
    const upstream = bucket.upstream[name];
    if (!upstream) return null;
    return q === "p50" ? upstream.p50Ms : upstream.p95Ms;
  },
  total: (total, key) => latencySeries().value(total, key),
});

const ACTIVITY_CHARTS = [
  {
    id: "outcome",
    title: "Requests by outcome",
    type: "bar",
    stacked: true,
    series: outcomeSeries(),
  },
  {
    id: "integration",
    title: "Requests by integration",
    type: "bar",
    stacked: true,
    series: perKeySeries((b) => b.byIntegration),
  },
  {
    id: "api",
    title: "Requests by API",
    type: "bar",
    stacked: true,
    series: perKeySeries((b) => b.byApi),
  },
  {
    id: "endpoint",
    title: "Token vs refresh requests (by endpoint)",
    type: "bar",
    stacked: true,
    series: perKeySeries((b) => b.byEndpoint),
  },
  {
    id: "errors",
    title: "Errors by code",
    type: "bar",
    stacked: true,
    series: countSeries((b) => b.errors),
  },
  {
    id: "refusals",
    title: "Rate-limit refusals by integration",
    type: "bar",
    stacked: true,
    series: countSeries((b) => b.refusedBy),
  },
  {
    id: "latency",
    title: "Upstream check latency p50 / p95 (ms)",
    type: "line",
    stacked: false,
    series: latencySeries(),
  },
];

const BILLING_CHARTS = [
  {
    id: "tokens",
    title: "Tokens issued per day by API (valid and decoy)",
    type: "bar",
    stacked: true,
    series: countSeries((b) => b.billing.tokensByApi),
  },
  {
    id: "checks",
    title: "Fresh checks (/attest, /token) vs refreshes per day",
    type: "bar",
    stacked: true,
    series: {
      keys: () => ["fresh", "refresh"],
      value: (bucket, key) =>
        key === "fresh" ? bucket.billing.freshChecks : bucket.billing.refreshes,
    },
  },
  {
    id: "upstream",
    title: "Upstream checks per day by integration",
    type: "bar",
    stacked: true,
    series: {
      keys: (buckets) => keysOf(buckets, (b) => b.upstream),
      value: (bucket, key) => bucket.upstream[key]?.count ?? 0,
    },
  },
];
const BILLING_MONTH_CHART = {
  id: "tokens-month",
  title: "Tokens issued per month by API",
  type: "bar",
  stacked: true,
  series: countSeries((b) => b.billing.tokensByApi),
};

const ACTIVITY_TILES = [
  ["requests", "Requests", (t) => t.requests],
  ["valid", "Valid", (t) => t.valid],
  ["invalid", "Decoy (invalid)", (t) => t.invalid],
  ["error", "Errors", (t) => t.error],
  ["rateLimited", "Rate-limited", (t) => t.rateLimited],
  ["tokens", "Tokens issued", (t) => t.billing.tokens],
];
const BILLING_TILES = [
  ["tokens", "Tokens issued", (t) => t.billing.tokens],
  ["freshChecks", "Fresh checks", (t) => t.billing.freshChecks],
  ["refreshes", "Refreshes", (t) => t.billing.refreshes],
  ["upstreamChecks", "Upstream checks", (t) => t.billing.upstreamChecks],
];

const DASHBOARDS = {
  live: {
    title: "Live: Web App Activity",
    subtitle:
      "Web protection requests per minute over the last hour; refreshes itself every 10 seconds.",
    period: "minute",
    last: 60,
    tiles: ACTIVITY_TILES,
    charts: ACTIVITY_CHARTS,
    refreshMs: LIVE_REFRESH_MS,
  },
  billing: {
    title: "Billing Usage",
    subtitle:
      "Tokens issued (valid and decoy, one per API), fresh checks vs refreshes, and upstream checks: per day over 62 days, per month over 24 months.",
    period: "day",
    tiles: BILLING_TILES,
    charts: BILLING_CHARTS,
    months: BILLING_MONTH_CHART,
  },
  hourly: {
    title: "Summary: Hourly Activity",
    subtitle: "Per hour over the last 48 hours.",
    period: "hour",
    tiles: ACTIVITY_TILES,
    charts: ACTIVITY_CHARTS,
  },
  daily: {
    title: "Summary: Daily Activity",
    subtitle: "Per day over the last 62 days.",
    period: "day",
    tiles: ACTIVITY_TILES,
    charts: ACTIVITY_CHARTS,
  },
  monthly: {
    title: "Summary: Monthly Activity",
    subtitle: "Per calendar month over the last 24 months.",
    period: "month",
    tiles: ACTIVITY_TILES,
    charts: ACTIVITY_CHARTS,
  },
};

// ---- access ------------------------------------------------------------------------

/** A read-only access problem the page states in words. */
class AccessError extends Error {}

function storedSession() {
  try {
    const value = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? "null");
    if (value && typeof value.session === "string" && Date.parse(value.expiresAt) > Date.now())
      return value;
  } catch {
    // A damaged entry is as good as none.
  }
  sessionStorage.removeItem(SESSION_KEY);
  return undefined;
}

/** Exchanges a ticket or a key for a session (POST portal/sessions); keeps only the session. */
async function openSession(credential) {
  const response = await fetch("portal/sessions", {
    method: "POST",
    headers: { authorization: `Bearer ${credential}` },
    cache: "no-store",
    credentials: "omit",
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new AccessError(body.error ?? `attest answered ${response.status}`);
  sessionStorage.setItem(
    SESSION_KEY,
    JSON.stringify({ session: body.session, expiresAt: body.expiresAt }),
  );
  return body;
}

/** A ticket in the fragment is spent at once and removed from the address bar and history. */
function ticketFromFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  const ticket = params.get("ticket");
  if (!ticket) return undefined;
  const tab = params.get("tab");
  history.replaceState(
    null,
    "",
    `${location.pathname}${location.search}#${tab && DASHBOARDS[tab] ? tab : "live"}`,
  );
  return ticket;
}

async function fetchBuckets(period) {
  const session = storedSession();
  if (!session) throw new AccessError("No metrics session: this page has no access yet.");
  const response = await fetch(`metrics/buckets?period=${encodeURIComponent(period)}`, {
    headers: { authorization: `Bearer ${session.session}` },
    cache: "no-store",
    credentials: "omit",
  });
  const body = await response.json().catch(() => ({}));
  if (response.status === 401) {
    sessionStorage.removeItem(SESSION_KEY);
    throw new AccessError(`The metrics session is no longer accepted (${body.error ?? "401"}).`);
  }
  if (!response.ok) throw new Error(body.error ?? `attest answered ${response.status}`);
  return /** @type {BucketsAnswer} */ (body);
}

// ---- rendering ---------------------------------------------------------------------

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
function lastBuckets(answer, count) {
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

async function render(tab) {
  const dashboard = DASHBOARDS[tab];
  const main = document.getElementById("dashboard");
  const answer = lastBuckets(await fetchBuckets(dashboard.period), dashboard.last);
  const months = dashboard.months ? await fetchBuckets("month") : undefined;
  if (currentTab !== tab) return;
  const live = dashboard.refreshMs !== undefined;
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
  setStatus(`Updated ${answer.now.slice(11, 19)} UTC${live ? ", refreshes every 10 s" : ""}.`);
}

// ---- page state --------------------------------------------------------------------

let currentTab = "live";
let timer;

function setStatus(text) {
  document.getElementById("status").textContent = text;
}

function showSignIn(reason, isError) {
  clearInterval(timer);
  document.getElementById("dashboard").hidden = true;
  document.getElementById("sign-out").hidden = true;
  document.getElementById("signin").hidden = false;
  const p = document.getElementById("signin-reason");
  p.textContent = reason;
  p.className = isError ? "signin-reason-error" : "";
  setStatus("Not signed in.");
}

async function show(tab) {
  currentTab = DASHBOARDS[tab] ? tab : "live";
  for (const button of document.querySelectorAll("[role=tab]")) {
    button.setAttribute("aria-selected", String(button.dataset.tab === currentTab));
  }
  if (location.hash !== `#${currentTab}`) history.replaceState(null, "", `#${currentTab}`);
  clearInterval(timer);
  if (!storedSession()) {
    showSignIn(
      "This page has no metrics session yet: it needs the admin key or a read-only metrics key.",
      false,
    );
    return;
  }
  document.getElementById("signin").hidden = true;
  document.getElementById("dashboard").hidden = false;
  document.getElementById("sign-out").hidden = false;
  const refresh = async () => {
    try {
      await render(currentTab);
    } catch (error) {
      if (error instanceof AccessError) showSignIn(error.message, true);
      else setStatus(`Could not load the activity: ${error.message}`);
    }
  };
  await refresh();
  const every = DASHBOARDS[currentTab].refreshMs;
  if (every && storedSession()) timer = setInterval(refresh, every);
}

async function start() {
  for (const button of document.querySelectorAll("[role=tab]")) {
    button.addEventListener("click", () => show(button.dataset.tab));
  }
  document.getElementById("signin-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = document.getElementById("signin-key");
    const key = input.value.trim();
    input.value = "";
    try {
      await openSession(key);
      await show(currentTab);
    } catch (error) {
      showSignIn(`That key was not accepted: ${error.message}`, true);
    }
  });
  document.getElementById("sign-out").addEventListener("click", async () => {
    const session = storedSession();
    sessionStorage.removeItem(SESSION_KEY);
    if (session) {
      await fetch("portal/sessions", {
        method: "DELETE",
        headers: { authorization: `Bearer ${session.session}` },
        credentials: "omit",
      }).catch(() => {});
    }
    showSignIn("Signed out.", false);
  });
  // A link opened in this tab later (a new ticket, or a tab name) changes only the fragment.
  window.addEventListener("hashchange", () => openFromFragment());
  await openFromFragment();
}

/** Spends a ticket in the fragment, if any, then shows the tab the fragment names. */
async function openFromFragment() {
  const ticket = ticketFromFragment();
  if (ticket) {
    try {
      await openSession(ticket);
    } catch (error) {
      showSignIn(
        `The link's ticket was not accepted (they work once, within a minute): ${error.message}. Run approov metrics again, or enter a key.`,
        true,
      );
      return;
    }
  }
  const tab = location.hash.slice(1);
  await show(DASHBOARDS[tab] ? tab : currentTab);
}

start();
