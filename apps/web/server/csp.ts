import type { WebConfig } from "./config.js";
import { integrationSources, type ScriptUrlField } from "./integrations.js";

/**
 * The Content-Security-Policy of every page, as the quickstart's "Content Security Policy"
 * section describes: scripts only from here and the human-check services, frames only from
 * them, calls only to here, attest, the API and them. No inline scripts or styles anywhere.
 */
export function contentSecurityPolicy(
  config: Pick<WebConfig, ScriptUrlField | "attestUrl" | "apiBaseUrl">,
): string {
  const sources = integrationSources(config);
  const connect = unique([
    "'self'",
    new URL(config.attestUrl).origin,
    new URL(config.apiBaseUrl).origin,
    ...sources.connect,
  ]);
  return [
    "default-src 'self'",
    `script-src ${unique(["'self'", ...sources.script]).join(" ")}`,
    `frame-src ${unique(sources.frame).join(" ")}`,
    `connect-src ${connect.join(" ")}`,
    "img-src 'self' data:",
    `style-src ${unique(["'self'", ...sources.style]).join(" ")}`,
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
