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

/**
 * The spans the persisted activity buckets count over (UTC calendar minutes, hours, days
 * and months), and how many of each are kept: attest forgets anything older.
 */
export const ACTIVITY_PERIODS = ["minute", "hour", "day", "month"] as const;
export type ActivityPeriod = (typeof ACTIVITY_PERIODS)[number];
export const ACTIVITY_RETENTION: Readonly<Record<ActivityPeriod, number>> = {
  minute: 120,
  hour: 48,
  day: 62,
  month: 24,
};

/** Upstream checks of one integration within a bucket (quantiles from latency buckets). */
export interface UpstreamBucket {
  count: number;
  passed: number;
  failed: number;
  /** No verdict (the upstream service failed or timed out). */
  error: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

/**
 * What billing counts (as deploy/grafana's Billing Usage): every token issued, valid or
 * decoy (a request naming two APIs gets one per API; an error answer issues none), the
 * requests that issued tokens from a fresh check (`/attest`, `/token`) against those from a
 * refresh, and the upstream checks (what hCaptcha, reCAPTCHA and Fingerprint bill).
 */
export interface BillingCounts {
  tokens: number;
  tokensByApi: Record<string, number>;
  freshChecks: number;
  refreshes: number;
  upstreamChecks: number;
}

/** The activity of one bucket (or of a whole range: `total`). */
export interface ActivityBucket {
  /** The bucket's first instant (ISO 8601, UTC). */
  start: string;
  /** Decisions (one per /attest, /token, /refresh request). */
  requests: number;
  valid: number;
  /** Decoys: a legitimate-looking token the backend rejects (a failed human check). */
  invalid: number;
  error: number;
  /** Decisions refused by a site key's rateLimit (429). */
  rateLimited: number;
  /** Rate-limit refusals by integration. */
  refusedBy: Record<string, number>;
  /** By endpoint: "attest", "token", "refresh". */
  byEndpoint: Record<string, OutcomeCounts>;
  /** By integration name, "combined" or "none". */
  byIntegration: Record<string, OutcomeCounts>;
  /** By registered API domain, or "other" (one count per API of a request). */
  byApi: Record<string, OutcomeCounts>;
  /** Error answers per error code. */
  errors: Record<string, number>;
  upstream: Record<string, UpstreamBucket>;
  billing: BillingCounts;
}

/** `GET /metrics/buckets?period=`: the kept buckets of one period, oldest first. */
export interface ActivityBucketsAnswer {
  period: ActivityPeriod;
  /** When the answer was made (ISO 8601). */
  now: string;
  /** Where the buckets are kept: Redis (every instance), the data directory, or memory. */
  store: "redis" | "file" | "memory";
  /** How often each instance adds its counts to the store. */
  flushSeconds: number;
  /** Every bucket of the period that is kept, empty ones included, the current one last. */
  buckets: ActivityBucket[];
  /** The sum of `buckets` (quantiles over the merged latency buckets). */
  total: ActivityBucket;
}

/** `POST /portal/tickets` (admin key): a one-time ticket `approov metrics` opens the portal with. */
export interface PortalTicketAnswer {
  ticket: string;
  expiresInSeconds: number;
  /** The portal page, relative to the attest service's origin. */
  path: string;
}

/** `POST /portal/sessions`: a read-only metrics session for the portal page. */
export interface PortalSessionAnswer {
  session: string;
  /** ISO 8601. */
  expiresAt: string;
  access: "metrics:read";
}
