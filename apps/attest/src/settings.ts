import { ConfigError, originsFromEnv, positiveIntFromEnv, urlFromEnv } from "@shapes/node-service";

/** The Server API base URL of each Fingerprint region (no trailing slash needed). */
export interface FingerprintApiUrls {
  RoW: string;
  EU: string;
  /** Not a region the seed's accounts can name yet: configuration for later. */
  Asia: string;
}

/** Runtime settings of the service (everything except the account). */
export interface AttestSettings {
  /** Largest accepted `/attest` body. */
  maxBodyBytes: number;
  /** How long a request body may take to arrive. */
  bodyTimeoutMs: number;
  /** hCaptcha's siteverify endpoint (the sandbox by default). */
  hcaptchaSiteverifyUrl: string;
  /** reCAPTCHA's siteverify endpoint (the sandbox by default). */
  recaptchaSiteverifyUrl: string;
  /** Fingerprint's Server API per region (the sandbox by default). */
  fingerprintApiUrls: FingerprintApiUrls;
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
  hcaptchaSiteverifyUrl: "http://127.0.0.1:8003/siteverify",
  recaptchaSiteverifyUrl: "http://127.0.0.1:8003/recaptcha/api/siteverify",
  fingerprintApiUrls: {
    RoW: "http://127.0.0.1:8003/fingerprint/api",
    EU: "http://127.0.0.1:8003/fingerprint/eu-api",
    Asia: "http://127.0.0.1:8003/fingerprint/ap-api",
  },
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
  const fp = d.fingerprintApiUrls;
  const metricsToken = metricsTokenFromEnv(env);
  return {
    maxBodyBytes: positiveIntFromEnv(env, "ATTEST_MAX_BODY_BYTES", d.maxBodyBytes),
    bodyTimeoutMs: positiveIntFromEnv(env, "ATTEST_BODY_TIMEOUT_MS", d.bodyTimeoutMs),
    hcaptchaSiteverifyUrl: urlFromEnv(env, "HCAPTCHA_SITEVERIFY_URL", d.hcaptchaSiteverifyUrl),
    recaptchaSiteverifyUrl: urlFromEnv(env, "RECAPTCHA_SITEVERIFY_URL", d.recaptchaSiteverifyUrl),
    fingerprintApiUrls: {
      RoW: urlFromEnv(env, "FINGERPRINT_API_URL_ROW", fp.RoW),
      EU: urlFromEnv(env, "FINGERPRINT_API_URL_EU", fp.EU),
      Asia: urlFromEnv(env, "FINGERPRINT_API_URL_ASIA", fp.Asia),
    },
    upstreamTimeoutMs: positiveIntFromEnv(env, "UPSTREAM_TIMEOUT_MS", d.upstreamTimeoutMs),
    trustProxy: env.TRUST_PROXY === "1",
    webOrigins: originsFromEnv(env, "WEB_ORIGIN", d.webOrigins),
    ...(metricsToken !== undefined ? { metricsToken } : {}),
  };
}
