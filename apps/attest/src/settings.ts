import { originsFromEnv, positiveIntFromEnv, urlFromEnv } from "@shapes/node-service";

/** Runtime settings of the service (everything except the account). */
export interface AttestSettings {
  /** Largest accepted `/attest` body. */
  maxBodyBytes: number;
  /** How long a request body may take to arrive. */
  bodyTimeoutMs: number;
  /** hCaptcha's siteverify endpoint (the sandbox by default). */
  hcaptchaSiteverifyUrl: string;
  /** Deadline of each upstream check. */
  upstreamTimeoutMs: number;
  /** Take the client IP from X-Forwarded-For (only behind a proxy you run). */
  trustProxy: boolean;
  /** Browser origins allowed by CORS. */
  webOrigins: string[];
}

export const DEFAULT_SETTINGS: AttestSettings = {
  maxBodyBytes: 8192,
  bodyTimeoutMs: 10_000,
  hcaptchaSiteverifyUrl: "http://127.0.0.1:8003/siteverify",
  upstreamTimeoutMs: 5000,
  trustProxy: false,
  webOrigins: ["http://localhost:8000"],
};

export function settingsFromEnv(env: Record<string, string | undefined>): AttestSettings {
  const d = DEFAULT_SETTINGS;
  return {
    maxBodyBytes: positiveIntFromEnv(env, "ATTEST_MAX_BODY_BYTES", d.maxBodyBytes),
    bodyTimeoutMs: positiveIntFromEnv(env, "ATTEST_BODY_TIMEOUT_MS", d.bodyTimeoutMs),
    hcaptchaSiteverifyUrl: urlFromEnv(env, "HCAPTCHA_SITEVERIFY_URL", d.hcaptchaSiteverifyUrl),
    upstreamTimeoutMs: positiveIntFromEnv(env, "UPSTREAM_TIMEOUT_MS", d.upstreamTimeoutMs),
    trustProxy: env.TRUST_PROXY === "1",
    webOrigins: originsFromEnv(env, "WEB_ORIGIN", d.webOrigins),
  };
}
