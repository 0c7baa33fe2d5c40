/** What Prometheus's HTTP API answers to `/api/v1/query` and `/api/v1/query_range`. */
export interface QueryResponse {
  status: "success" | "error";
  errorType?: string;
  error?: string;
  data?: {
    resultType: "vector" | "matrix" | "scalar" | "string";
    result: Series[];
  };
}

export interface Series {
  metric: Record<string, string>;
  /** Vector: one sample `[unix seconds, "value"]`. */
  value?: [number, string];
  /** Matrix: the samples over the range. */
  values?: [number, string][];
}

export type QueryWindow =
  | { kind: "instant"; timeSeconds: number }
  | { kind: "range"; startSeconds: number; endSeconds: number; stepSeconds: number };

/**
 * Evaluates `expr` through the HTTP API, as Grafana does: an instant query, or a range query
 * over the window. Answers Prometheus's JSON whatever the status (a bad expression is a 400
 * with `status: "error"`, which the caller asserts on).
 */
export async function queryPrometheus(
  prometheusUrl: string,
  expr: string,
  window: QueryWindow,
): Promise<QueryResponse> {
  const params = new URLSearchParams({ query: expr });
  if (window.kind === "instant") {
    params.set("time", String(window.timeSeconds));
  } else {
    params.set("start", String(window.startSeconds));
    params.set("end", String(window.endSeconds));
    params.set("step", String(window.stepSeconds));
  }
  const path = window.kind === "instant" ? "query" : "query_range";
  const res = await fetch(`${prometheusUrl}/api/v1/${path}`, { method: "POST", body: params });
  return (await res.json()) as QueryResponse;
}

/** The label names Prometheus holds for series of `metric` (empty when it has none). */
export async function labelNamesOf(prometheusUrl: string, metric: string): Promise<string[]> {
  const params = new URLSearchParams({ "match[]": metric });
  const res = await fetch(`${prometheusUrl}/api/v1/labels?${params}`);
  const body = (await res.json()) as { status: string; data?: string[] };
  if (body.status !== "success") throw new Error(`labels of ${metric}: ${JSON.stringify(body)}`);
  return body.data ?? [];
}

/**
 * When the latest successful scrape of `job` started (Unix seconds), or undefined before one.
 * Read from the raw `up` samples of a range selector: they keep their own times (an instant
 * query answers its evaluation time), and a failed scrape (`up` 0) does not count.
 */
export async function latestScrapeSeconds(
  prometheusUrl: string,
  job: string,
): Promise<number | undefined> {
  const answer = await queryPrometheus(prometheusUrl, `up{job="${job}"}[1m]`, {
    kind: "instant",
    timeSeconds: Date.now() / 1000,
  });
  const scrapes = (answer.data?.result ?? []).flatMap((series) => series.values ?? []);
  const times = scrapes.filter(([, up]) => up === "1").map(([time]) => time);
  return times.length > 0 ? Math.max(...times) : undefined;
}
