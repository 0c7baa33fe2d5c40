import type { WebConfig } from "./config.js";

// The real hCaptcha loads from hcaptcha.com and its subdomains (js., newassets., api.).
const REAL_HCAPTCHA_ORIGINS = ["https://hcaptcha.com", "https://*.hcaptcha.com"];

/** The origins the hCaptcha script, its frames and its calls come from. */
export function hcaptchaOrigins(config: Pick<WebConfig, "hcaptchaJsUrl">): string[] {
  return config.hcaptchaJsUrl === undefined
    ? REAL_HCAPTCHA_ORIGINS
    : [new URL(config.hcaptchaJsUrl).origin];
}

/**
 * The Content-Security-Policy of every page, as the quickstart's "Content Security Policy"
 * section describes: scripts only from here and hCaptcha, frames only from hCaptcha, calls
 * only to here, attest, the API and hCaptcha. No inline scripts or styles anywhere.
 */
export function contentSecurityPolicy(
  config: Pick<WebConfig, "hcaptchaJsUrl" | "attestUrl" | "apiBaseUrl">,
): string {
  const hcaptcha = hcaptchaOrigins(config);
  const connect = unique([
    "'self'",
    new URL(config.attestUrl).origin,
    new URL(config.apiBaseUrl).origin,
    ...hcaptcha,
  ]);
  return [
    "default-src 'self'",
    `script-src 'self' ${hcaptcha.join(" ")}`,
    `frame-src ${hcaptcha.join(" ")}`,
    `connect-src ${connect.join(" ")}`,
    "img-src 'self' data:",
    `style-src 'self' ${hcaptcha.join(" ")}`,
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
