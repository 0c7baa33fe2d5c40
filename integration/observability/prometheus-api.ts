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
 * The timestamp of the latest sample of a series selector's first series, or undefined
 * without one. Only a bare selector keeps its samples' own times: `timestamp()` of anything
 * computed (`up == 1`) answers the evaluation time.
 */
export async function latestSampleSeconds(
  prometheusUrl: string,
  selector: string,
): Promise<number | undefined> {
  const answer = await queryPrometheus(prometheusUrl, `timestamp(${selector})`, {
    kind: "instant",
    timeSeconds: Date.now() / 1000,
  });
  const sample = answer.data?.result[0]?.value;
  return sample ? Number(sample[1]) : undefined;
}
