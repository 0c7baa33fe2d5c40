/**
 * The attest admin API (`/admin/v1`, bearer admin key) that the `approov` CLI speaks: its
 * limits, and the shapes of its answers. attest enforces and answers these; the CLI checks
 * its flags against the same limits and reads the same answers.
 */

/** Largest admin request body. */
export const ADMIN_MAX_BODY_BYTES = 16 * 1024;
/** Most API domains an account holds, and entries per integration: 409 beyond. */
export const MAX_APIS = 100;
export const MAX_ENTRIES_PER_INTEGRATION = 100;
/** The lifetimes' ranges (`approov web -setTokenLifetime / -setRefreshTokenLifetime`). */
export const MAX_TOKEN_LIFETIME_SECONDS = 86_400;
export { MAX_REFRESH_LIFETIME_SECONDS } from "./entry-fields.js";

/** Every refusal: a message naming the field and the rule. */
export interface AdminErrorBody {
  error: string;
  field?: string;
}

/** One API domain in `GET /account` and `PUT /apis/:domain`. */
export interface ApiView {
  allowWeb: boolean;
  jwe: boolean;
}

/** `PUT /apis/:domain`: the domain's settings and how its tokens are made. */
export interface ApiAnswer extends ApiView {
  domain: string;
  alg: "HS256";
  /** JWE APIs: the key wrapping of their tokens. */
  enc?: "A256GCMKW";
}

/** `PUT /web/lifetimes`: the lifetimes now in force. */
export interface LifetimesAnswer {
  tokenLifetimeSeconds: number;
  refreshTokenLifetimeSeconds: number;
}

/** What the activity summary counts over a span of time. */
export interface ActivityCounts {
  /** Decisions (one per /attest, /token, /refresh request). */
  requests: number;
  valid: number;
  invalid: number;
  /** Error answers per error code (an answer listing two codes counts under both). */
  errors: Record<string, number>;
  /** Requests refused by a site key's rateLimit (429). */
  rateLimited: number;
}

/** Decisions per outcome for one integration or API. */
export interface OutcomeCounts {
  valid: number;
  invalid: number;
  error: number;
}

export interface UpstreamSummary {
  /** Upstream checks completed or failed since start. */
  count: number;
  /** Estimated from the latency buckets (as Grafana does); null before the first check. */
  p50Ms: number | null;
  p95Ms: number | null;
}

/** `GET /metrics/summary`: what `approov metrics` shows of one attest instance. */
export interface ActivitySummaryJson {
  /** When this service instance started counting (ISO 8601). */
  since: string;
  window: { seconds: number } & ActivityCounts;
  total: ActivityCounts;
  /** By integration name, "combined" or "none". */
  byIntegration: Record<string, OutcomeCounts>;
  byApi: Record<string, OutcomeCounts>;
  /** By integration name. */
  upstream: Record<string, UpstreamSummary>;
}
