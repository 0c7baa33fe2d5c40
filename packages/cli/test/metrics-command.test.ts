import { describe, expect, it } from "vitest";
import { AdminClient } from "../src/admin-client.js";
import { CLEAR_SCREEN, parseMetricsArgs, runMetrics } from "../src/commands/metrics.js";
import { CliError } from "../src/errors.js";
import { formatMetrics } from "../src/format-metrics.js";
import { type MetricsSummary, parseMetricsSummary } from "../src/metrics-summary.js";
import { browserCommand, shouldOpenBrowser } from "../src/open-browser.js";
import { usageMessage } from "./helpers/usage-message.js";

const SUMMARY: MetricsSummary = {
  since: "2025-01-01T00:00:00.000Z",
  window: {
    seconds: 60,
    requests: 4,
    valid: 1,
    invalid: 1,
    errors: { "hcap-token-check": 1, "aprv-api-not-found": 1 },
    rateLimited: 1,
  },
  total: {
    requests: 9,
    valid: 5,
    invalid: 1,
    errors: { "hcap-token-check": 2, "aprv-api-not-found": 1, "rqst-body-parse": 1 },
    rateLimited: 1,
  },
  byIntegration: {
    none: { valid: 0, invalid: 0, error: 2 },
    hcaptcha: { valid: 5, invalid: 1, error: 1 },
  },
  byApi: {
    localhost: { valid: 5, invalid: 1, error: 1 },
    other: { valid: 0, invalid: 0, error: 2 },
  },
  upstream: { hcaptcha: { count: 7, p50Ms: 2.5, p95Ms: 4.8 } },
};

describe("approov metrics arguments", () => {
  it("opens the portal by default; -summary, -json and -watch print the summary", () => {
    expect(parseMetricsArgs([])).toEqual({ action: "portal", noBrowser: false });
    expect(parseMetricsArgs(["-noBrowser"])).toEqual({ action: "portal", noBrowser: true });
    expect(usageMessage(() => parseMetricsArgs(["-summary", "-noBrowser"]))).toBe(
      "-noBrowser goes with the portal, not with -summary, -json or -watch",
    );
  });

  it("reads -json and -watch <seconds | duration>", () => {
    expect(parseMetricsArgs(["-summary"])).toEqual({ action: "show", json: false });
    expect(parseMetricsArgs(["-JSON"])).toEqual({ action: "show", json: true });
    expect(parseMetricsArgs(["-watch", "5"])).toEqual({
      action: "show",
      json: false,
      watchSeconds: 5,
    });
    expect(parseMetricsArgs(["--watch=1m", "-json"])).toEqual({
      action: "show",
      json: true,
      watchSeconds: 60,
    });
    expect(parseMetricsArgs(["-watch", "x", "-h"])).toEqual({ action: "help" });
  });

  it("refuses a watch period outside 1 s to 1 h, a missing value and unknown flags", () => {
    expect(usageMessage(() => parseMetricsArgs(["-watch", "500ms"]))).toBe(
      'watch must be between 1 and 3600 seconds, got "500ms"',
    );
    expect(usageMessage(() => parseMetricsArgs(["-watch", "2h"]))).toBe(
      'watch must be between 1 and 3600 seconds, got "2h"',
    );
    expect(usageMessage(() => parseMetricsArgs(["-watch", "soon"]))).toMatch(
      /^watch must be a duration in seconds/,
    );
    expect(usageMessage(() => parseMetricsArgs(["-watch"]))).toBe("-watch needs a value <seconds>");
    expect(usageMessage(() => parseMetricsArgs(["-watch", "1", "-watch", "2"]))).toBe(
      "-watch is given more than once",
    );
    expect(usageMessage(() => parseMetricsArgs(["live"]))).toMatch(/^unexpected argument 1 /);
  });
});

describe("the Live: Web App Activity table", () => {
  it("shows the last minute next to the totals, per integration, per API and upstream", () => {
    const text = formatMetrics(SUMMARY, "http://127.0.0.1:8001", new Date(Date.UTC(2025, 0, 1, 1)));
    expect(text).toBe(
      [
        "Live: Web App Activity",
        "attest http://127.0.0.1:8001, counting since 2025-01-01T00:00:00.000Z, as of 2025-01-01T01:00:00.000Z",
        "",
        "                         last minute   since start",
        "requests                           4             9",
        "  valid                            1             5",
        "  invalid                          1             1",
        "  errors                           2             3",
        "    hcap-token-check               1             2",
        "    aprv-api-not-found             1             1",
        "    rqst-body-parse                0             1",
        "  rate-limited                     1             1",
        "",
        "by integration   valid   invalid   error",
        "  hcaptcha           5         1       1",
        "  none               0         0       2",
        "",
        "by API        valid   invalid   error",
        "  localhost       5         1       1",
        "  other           0         0       2",
        "",
        "upstream checks   count   p50 ms   p95 ms",
        "  hcaptcha            7      2.5      4.8",
        "",
      ].join("\n"),
    );
  });

  it("says when there is nothing yet, and never prints a control character it was sent", () => {
    const empty = parseMetricsSummary({
      since: "2025-01-01T00:00:00.000Z",
      window: { seconds: 60, requests: 0, valid: 0, invalid: 0, errors: {}, rateLimited: 0 },
      total: { requests: 0, valid: 0, invalid: 0, errors: {}, rateLimited: 0 },
      byIntegration: {},
      byApi: { "evil\u001b[2Jname": { valid: 1, invalid: 0, error: 0 } },
      upstream: { hcaptcha: { count: 0, p50Ms: null, p95Ms: null } },
    });
    const text = formatMetrics(empty, "http://x", new Date(0));
    expect(text).toContain("\nby integration: no requests yet\n");
    expect(text).toContain("  evil?[2Jname");
    expect(text).not.toContain("\u001b");
    expect(text).toMatch(/\n {2}hcaptcha\s+0\s+-\s+-\n$/);
  });

  it("refuses an answer that is not a summary, naming what is wrong", () => {
    const bad = (value: unknown) => {
      try {
        parseMetricsSummary(value);
      } catch (error) {
        expect(error).toBeInstanceOf(CliError);
        return (error as CliError).message;
      }
      throw new Error("accepted");
    };
    const good = JSON.parse(JSON.stringify(SUMMARY));
    expect(parseMetricsSummary(good)).toEqual(SUMMARY);
    expect(bad([])).toBe("unexpected answer from the attest service: summary is not an object");
    expect(bad({ ...good, since: "yesterday" })).toBe(
      "unexpected answer from the attest service: summary.since is not a time",
    );
    expect(bad({ ...good, total: { ...good.total, valid: -1 } })).toBe(
      "unexpected answer from the attest service: total.valid is not a count",
    );
    expect(bad({ ...good, window: { ...good.window, errors: { x: "1" } } })).toBe(
      "unexpected answer from the attest service: window.errors.x is not a count",
    );
    expect(bad({ ...good, byApi: { a: 1 } })).toBe(
      "unexpected answer from the attest service: byApi.a is not an object",
    );
    expect(bad({ ...good, upstream: { h: { count: 1, p50Ms: "2", p95Ms: null } } })).toBe(
      "unexpected answer from the attest service: upstream.h.p50Ms is not a duration",
    );
  });
});

describe("runMetrics -watch (in process)", () => {
  /** A client answering `summary` with `requests` growing by one per call. */
  function fakeClient() {
    let calls = 0;
    const fetchImpl = async () => {
      calls += 1;
      const body = { ...SUMMARY, total: { ...SUMMARY.total, requests: calls } };
      return new Response(JSON.stringify(body), { status: 200 });
    };
    const client = new AdminClient(
      "http://attest.test",
      { key: "k", source: "file", file: "f" },
      fetchImpl,
    );
    return { client, calls: () => calls };
  }

  it("clears the screen on a terminal before each refresh and stops when told", async () => {
    const { client, calls } = fakeClient();
    let out = "";
    const stop = new AbortController();
    const ctx = {
      write: (text: string) => {
        out += text;
        if (calls() === 3) stop.abort();
      },
      client: async () => client,
      confirm: async () => {},
    };
    await runMetrics({ action: "show", json: false, watchSeconds: 0.01 }, ctx, {
      stop: stop.signal,
      terminal: true,
      now: () => new Date(0),
    });
    expect(calls()).toBe(3);
    const screens = out.split(CLEAR_SCREEN);
    expect(screens[0]).toBe("");
    expect(screens).toHaveLength(4);
    expect(screens[3]).toMatch(/\nrequests\s+4\s+3\n/);
  });

  it("-json -watch prints one JSON line per refresh, never clearing", async () => {
    const { client, calls } = fakeClient();
    let out = "";
    const stop = new AbortController();
    const ctx = {
      write: (text: string) => {
        out += text;
        if (calls() === 2) stop.abort();
      },
      client: async () => client,
      confirm: async () => {},
    };
    await runMetrics({ action: "show", json: true, watchSeconds: 0.01 }, ctx, {
      stop: stop.signal,
      terminal: true,
    });
    const lines = out.trimEnd().split("\n");
    expect(lines.map((line) => JSON.parse(line).total.requests)).toEqual([1, 2]);
  });
});

describe("runMetrics: the portal (in process)", () => {
  const TICKET = "apt_0123456789abcdefghijklmnopqrstuvwxyzABCDE";
  /** attest's ticket answer over a fetch the test controls; counts the calls. */
  function portalClient() {
    const calls: string[] = [];
    const fetchImpl = async (url: string, init: RequestInit) => {
      calls.push(`${init.method} ${url}`);
      return new Response(
        JSON.stringify({ ticket: TICKET, expiresInSeconds: 60, path: "/admin/v1/portal" }),
        { status: 201 },
      );
    };
    const client = new AdminClient(
      "http://attest.test",
      { key: "k", source: "file", file: "f" },
      fetchImpl,
    );
    return { client, calls };
  }
  const run = async (
    invocation: { noBrowser: boolean },
    options: { terminal: boolean; env?: Record<string, string>; opens?: boolean },
  ) => {
    const { client, calls } = portalClient();
    let out = "";
    const opened: string[] = [];
    await runMetrics(
      { action: "portal", ...invocation },
      { write: (text) => (out += text), client: async () => client, confirm: async () => {} },
      {
        terminal: options.terminal,
        env: options.env ?? {},
        openBrowser: async (url) => {
          opened.push(url);
          return options.opens ?? true;
        },
      },
    );
    return { out, opened, calls };
  };

  it("opens the signed-in link in the browser at a terminal, printing only the plain URL", async () => {
    const { out, opened, calls } = await run({ noBrowser: false }, { terminal: true });
    expect(calls).toEqual(["POST http://attest.test/admin/v1/portal/tickets"]);
    expect(opened).toEqual([`http://attest.test/admin/v1/portal#ticket=${TICKET}`]);
    expect(out).toBe(
      "Metrics portal: http://attest.test/admin/v1/portal\n" +
        "Opened in your browser, signed in for 2 hours (read-only).\n",
    );
  });

  it("never opens a browser in CI, with -noBrowser or off a terminal; a ticket is printed only to a terminal", async () => {
    const ci = await run({ noBrowser: false }, { terminal: true, env: { CI: "true" } });
    const told = await run({ noBrowser: true }, { terminal: true });
    const piped = await run({ noBrowser: false }, { terminal: false });
    expect([ci.opened, told.opened, piped.opened]).toEqual([[], [], []]);
    for (const { out } of [ci, told]) {
      expect(out).toContain(
        `Open it signed in (once, within 60 s): http://attest.test/admin/v1/portal#ticket=${TICKET}\n`,
      );
    }
    expect(piped.out).toBe(
      "Metrics portal: http://attest.test/admin/v1/portal\n" +
        "Sign in there with the admin key or METRICS_TOKEN; or run approov metrics in a terminal.\n" +
        "The text summary: approov metrics -summary [-json] [-watch <seconds>]\n",
    );
    const none = await run({ noBrowser: false }, { terminal: true, opens: false });
    expect(none.out).toContain("No browser could be opened.\nOpen it signed in");
  });

  it("uses the platform's opener, and reads CI as most CI systems set it", () => {
    expect(browserCommand("linux", "http://x/#t")).toEqual(["xdg-open", ["http://x/#t"]]);
    expect(browserCommand("darwin", "http://x/#t")).toEqual(["open", ["http://x/#t"]]);
    expect(browserCommand("win32", "http://x/#t")).toEqual([
      "cmd",
      ["/c", "start", '""', "http://x/#t"],
    ]);
    expect(shouldOpenBrowser(true, {}, false)).toBe(true);
    expect(shouldOpenBrowser(true, { CI: "1" }, false)).toBe(false);
    expect(shouldOpenBrowser(true, { CI: "false" }, false)).toBe(true);
    expect(shouldOpenBrowser(false, {}, false)).toBe(false);
  });
});
