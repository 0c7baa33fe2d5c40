import { ConfigError, originsFromEnv, positiveIntFromEnv } from "@shapes/node-service";
import { INTEGRATION_UNITS, type IntegrationSettings } from "./integrations/registry.js";

/**
 * Runtime settings of the service (everything except the account): its own, and each
 * integration's upstream URLs (declared in its folder).
 */
export type AttestSettings = ServiceSettings & IntegrationSettings;

export interface ServiceSettings {
  /** Largest accepted `/attest` body. */
  maxBodyBytes: number;
  /** How long a request body may take to arrive. */
  bodyTimeoutMs: number;
  /** Deadline of each upstream check. */
  upstreamTimeoutMs: number;
  /** Take the client IP from X-Forwarded-For (only behind a proxy you run). */
  trustProxy: boolean;
  /** Browser origins allowed by CORS. */
  webOrigins: string[];
  /** `METRICS_TOKEN`: the bearer token /metrics requires; unset, /metrics is open. */
  metricsToken?: string;
}

export const DEFAULT_SETTINGS: AttestSettings = {
  maxBodyBytes: 8192,
  bodyTimeoutMs: 10_000,
  ...(Object.assign(
    {},
    ...INTEGRATION_UNITS.map((u) => u.settings.defaults),
  ) as IntegrationSettings),
  upstreamTimeoutMs: 5000,
  trustProxy: false,
  webOrigins: ["http://localhost:8000"],
};

/** A bearer token: visible ASCII without spaces, long enough not to be guessed. */
const TOKEN_SHAPE = /^[\x21-\x7e]{16,1024}$/;

/**
 * `METRICS_TOKEN`: unset (the default) leaves /metrics open, fine while the service binds
 * loopback or sits behind your network boundary; set, every scrape must send it.
 */
export function metricsTokenFromEnv(env: Record<string, string | undefined>): string | undefined {
  const raw = env.METRICS_TOKEN;
  if (raw === undefined || raw === "") return undefined;
  if (!TOKEN_SHAPE.test(raw)) {
    throw new ConfigError(
      "METRICS_TOKEN must be 16 to 1024 visible ASCII characters without spaces (the value is not shown)",
    );
  }
  return raw;
}

export function settingsFromEnv(env: Record<string, string | undefined>): AttestSettings {
  const d = DEFAULT_SETTINGS;
  const metricsToken = metricsTokenFromEnv(env);
  return {
    maxBodyBytes: positiveIntFromEnv(env, "ATTEST_MAX_BODY_BYTES", d.maxBodyBytes),
    bodyTimeoutMs: positiveIntFromEnv(env, "ATTEST_BODY_TIMEOUT_MS", d.bodyTimeoutMs),
    ...(Object.assign(
      {},
      ...INTEGRATION_UNITS.map((u) => u.settings.fromEnv(env)),
    ) as IntegrationSettings),
    upstreamTimeoutMs: positiveIntFromEnv(env, "UPSTREAM_TIMEOUT_MS", d.upstreamTimeoutMs),
    trustProxy: env.TRUST_PROXY === "1",
    webOrigins: originsFromEnv(env, "WEB_ORIGIN", d.webOrigins),
    ...(metricsToken !== undefined ? { metricsToken } : {}),
  };
}
