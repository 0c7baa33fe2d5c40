import { type AccountView, type Integration, parseAccountView } from "./account-view.js";
import type { AdminKey } from "./admin-key.js";
import { CliError } from "./errors.js";
import { type MetricsSummary, parseMetricsSummary } from "./metrics-summary.js";

export const DEFAULT_ATTEST_URL = "http://127.0.0.1:8001";
/** How long one admin call may take before the CLI gives up. */
const REQUEST_TIMEOUT_MS = 10_000;
/** Largest answer read: the whole account configuration is a few KiB. */
const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * The attest origin from env `APPROOV_ATTEST_URL`; else the local one on `ATTEST_PORT`, the
 * variable `npm start` takes the port from (default http://127.0.0.1:8001).
 */
export function attestUrlFromEnv(env: Record<string, string | undefined>): string {
  const port = env.ATTEST_PORT?.trim();
  if (!env.APPROOV_ATTEST_URL?.trim() && port && !/^\d{1,5}$/.test(port)) {
    throw new CliError("bad-env", `ATTEST_PORT must be a port number, got "${port}"`);
  }
  const local = port ? `http://127.0.0.1:${port}` : DEFAULT_ATTEST_URL;
  const raw = env.APPROOV_ATTEST_URL?.trim() || local;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError("bad-env", `APPROOV_ATTEST_URL must be an http(s) URL, got "${raw}"`);
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.search || url.hash) {
    throw new CliError("bad-env", `APPROOV_ATTEST_URL must be an http(s) URL, got "${raw}"`);
  }
  return url.href.replace(/\/+$/, "");
}

export interface ApiAnswer {
  domain: string;
  allowWeb: boolean;
  jwe: boolean;
  alg: string;
  enc?: string;
}

export type TokenCheck =
  | { valid: true; claims: Record<string, unknown> }
  | { valid: false; reason: string };

export interface Lifetimes {
  tokenLifetimeSeconds?: number;
  refreshTokenLifetimeSeconds?: number;
}

type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

async function readBounded(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      throw new CliError("bad-answer", "unexpected answer from the attest service: too large");
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function errorMessage(json: unknown): string | undefined {
  if (typeof json !== "object" || json === null) return undefined;
  const { error, field } = json as { error?: unknown; field?: unknown };
  if (typeof error !== "string" || error === "") return undefined;
  // The field is usually named in the message already; add it only when it is not.
  return typeof field === "string" && field !== "" && !error.includes(field)
    ? `${error} (${field})`
    : error;
}

/** The attest admin API (`<origin>/admin/v1`), one typed method per call. */
export class AdminClient {
  private readonly fetch: FetchLike;

  constructor(
    readonly attestUrl: string,
    private readonly adminKey: AdminKey,
    fetchImpl: FetchLike = fetch,
  ) {
    this.fetch = fetchImpl;
  }

  /** Sends one call and returns its JSON answer; every failure becomes a CliError. */
  async request(method: string, path: string, body?: unknown): Promise<unknown> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.adminKey.key}`,
      accept: "application/json",
    };
    if (body !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    let text: string;
    try {
      response = await this.fetch(`${this.attestUrl}/admin/v1${path}`, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        redirect: "error",
      });
      text = await readBounded(response);
    } catch (error) {
      if (error instanceof CliError) throw error;
      if (error instanceof Error && error.name === "TimeoutError") {
        throw new CliError(
          "timeout",
          `the attest service at ${this.attestUrl} did not answer within ${REQUEST_TIMEOUT_MS / 1000} s`,
        );
      }
      throw new CliError(
        "unreachable",
        `cannot reach the attest service at ${this.attestUrl} (is it running? npm start)`,
      );
    }

    let json: unknown;
    try {
      json = text === "" ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (response.status === 401) {
      throw new CliError(
        "admin-key-rejected",
        `the admin key was not accepted (APPROOV_ADMIN_KEY or ${this.adminKey.file})`,
      );
    }
    if (response.status >= 400 && response.status < 500) {
      const message = errorMessage(json);
      if (message) throw new CliError("service-error", message);
      throw new CliError(
        "service-error",
        response.status === 404
          ? `the attest service at ${this.attestUrl} has no admin API at ${path} (HTTP 404): is it up to date?`
          : `the attest service refused the request (HTTP ${response.status})`,
      );
    }
    if (!response.ok) {
      throw new CliError(
        "service-error",
        `the attest service failed (HTTP ${response.status}); see its log`,
      );
    }
    if (json === undefined) {
      throw new CliError("bad-answer", "unexpected answer from the attest service: not JSON");
    }
    return json;
  }

  async account(): Promise<AccountView> {
    return parseAccountView(await this.request("GET", "/account"));
  }

  async putApi(domain: string, api: { allowWeb: boolean; jwe: boolean }): Promise<ApiAnswer> {
    const json = (await this.request(
      "PUT",
      `/apis/${encodeURIComponent(domain)}`,
      api,
    )) as Partial<ApiAnswer>;
    return {
      domain: typeof json.domain === "string" ? json.domain : domain,
      allowWeb: json.allowWeb === true,
      jwe: json.jwe === true,
      alg: typeof json.alg === "string" ? json.alg : "HS256",
      ...(typeof json.enc === "string" ? { enc: json.enc } : {}),
    };
  }

  async deleteApi(domain: string): Promise<void> {
    await this.request("DELETE", `/apis/${encodeURIComponent(domain)}`);
  }

  async putWebEntry(integration: Integration, key: string, entry: object): Promise<unknown> {
    return this.request("PUT", `/web/${integration}/${encodeURIComponent(key)}`, entry);
  }

  async deleteWebEntry(integration: Integration, key: string): Promise<void> {
    await this.request("DELETE", `/web/${integration}/${encodeURIComponent(key)}`);
  }

  async setOptional(integration: Integration, optional: boolean): Promise<void> {
    await this.request("PUT", `/web/${integration}/optional`, { optional });
  }

  async setLifetimes(lifetimes: Lifetimes): Promise<Required<Lifetimes>> {
    const json = (await this.request("PUT", "/web/lifetimes", lifetimes)) as Lifetimes;
    if (
      typeof json.tokenLifetimeSeconds !== "number" ||
      typeof json.refreshTokenLifetimeSeconds !== "number"
    ) {
      throw new CliError("bad-answer", "unexpected answer from the attest service: no lifetimes");
    }
    return {
      tokenLifetimeSeconds: json.tokenLifetimeSeconds,
      refreshTokenLifetimeSeconds: json.refreshTokenLifetimeSeconds,
    };
  }

  async checkToken(token: string): Promise<TokenCheck> {
    const json = (await this.request("POST", "/tokens/check", { token })) as Record<
      string,
      unknown
    >;
    if (json.valid === true && typeof json.claims === "object" && json.claims !== null) {
      return { valid: true, claims: json.claims as Record<string, unknown> };
    }
    if (json.valid === false) {
      return { valid: false, reason: typeof json.reason === "string" ? json.reason : "unknown" };
    }
    throw new CliError("bad-answer", "unexpected answer from the attest service: no verdict");
  }

  async exampleToken(api: string, dataHash?: string): Promise<string> {
    const body = dataHash === undefined ? { api } : { api, dataHash };
    const json = (await this.request("POST", "/tokens/example", body)) as { token?: unknown };
    if (typeof json.token !== "string" || json.token === "") {
      throw new CliError("bad-answer", "unexpected answer from the attest service: no token");
    }
    return json.token;
  }

  /** The live activity summary: checked (`summary`) and as answered (`raw`, for -json). */
  async metricsSummary(): Promise<{ summary: MetricsSummary; raw: unknown }> {
    const raw = await this.request("GET", "/metrics/summary");
    return { summary: parseMetricsSummary(raw), raw };
  }
}
