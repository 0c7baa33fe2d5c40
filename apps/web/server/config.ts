import { resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, portFromEnv, urlFromEnv } from "@shapes/node-service";
import {
  HCAPTCHA_TEST_KEYS,
  LOCAL_FINGERPRINT_PUBLIC_KEY as LOCAL_FINGERPRINT_KEY,
  LOCAL_RECAPTCHA_V3_SITE_KEY as LOCAL_RECAPTCHA_SITE_KEY,
  TURNSTILE_TEST_KEYS,
} from "@shapes/protocol";

type Env = Record<string, string | undefined>;

/** Everything the web server needs, read once from the environment. */
export interface WebConfig {
  port: number;
  hostname: string;
  /** The `api` the page sends to attest, e.g. "localhost" or "shapes.approov.io". */
  apiDomain: string;
  /** Base URL of the Shapes API, no trailing slash, e.g. "http://localhost:8002". */
  apiBaseUrl: string;
  /** Full URL the protected page posts to, e.g. "http://localhost:8001/attest". */
  attestUrl: string;
  /** Fills `___APPROOV_SITE_KEY___`; undefined leaves the placeholder alone. */
  approovSiteKey: string | undefined;
  /** Fills `___HCAPTCHA_SITE_KEY___`. */
  hcaptchaSiteKey: string;
  /** Replaces `https://hcaptcha.com/1/api.js` in the pages; undefined keeps the real hCaptcha. */
  hcaptchaJsUrl: string | undefined;
  /** Fills `___RECAPTCHA_SITE_KEY___`. */
  recaptchaSiteKey: string;
  /** Replaces `https://www.google.com/recaptcha/api.js`; undefined keeps the real reCAPTCHA. */
  recaptchaJsUrl: string | undefined;
  /** Fills `___FINGERPRINT_PUBLIC_API_KEY___`. */
  fingerprintPublicApiKey: string;
  /** Replaces the agent CDN prefix `https://fpjscdn.net/v3/`; undefined keeps the real one. */
  fingerprintAgentUrl: string | undefined;
  /** Fills `___TURNSTILE_SITE_KEY___` (Cloudflare's always-passing testing sitekey by default). */
  turnstileSiteKey: string;
  /** Replaces `https://challenges.cloudflare.com/turnstile/v0/api.js`; undefined keeps the real one. */
  turnstileJsUrl: string | undefined;
  /** The Vite build output the server serves (and nothing outside it). */
  distDir: string;
  /**
   * WEB_REVALIDATE_FILES=1 (`npm run dev`): check each served file on every request, so a
   * rebuild under the running server shows up. Unset: files are fixed per deploy, and
   * cached ones are served without touching the file system.
   */
  revalidateFiles: boolean;
}

// Same place from server/*.ts (tests, tsx) and from the built dist-server/*.js.
const DEFAULT_DIST_DIR = fileURLToPath(new URL("../dist/", import.meta.url));

// Site keys end up inside HTML attributes and JS string literals: allow only key characters.
const SITE_KEY = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const API_DOMAIN = new RegExp(`^${LABEL}(?:\\.${LABEL})*(?::\\d{1,5})?$`);

export function readWebConfig(env: Env): WebConfig {
  return {
    port: portFromEnv(env, "WEB_PORT", 8000),
    hostname: env.HOST || "127.0.0.1",
    apiDomain: apiDomainFromEnv(env),
    apiBaseUrl: withoutTrailingSlash(urlFromEnv(env, "SHAPES_API_URL", "http://localhost:8002")),
    attestUrl: `${withoutTrailingSlash(urlFromEnv(env, "ATTEST_URL", "http://localhost:8001"))}/attest`,
    approovSiteKey: siteKeyFromEnv(env, "APPROOV_SITE_KEY", undefined),
    hcaptchaSiteKey:
      siteKeyFromEnv(env, "HCAPTCHA_SITE_KEY", HCAPTCHA_TEST_KEYS.publisher.siteKey) ??
      HCAPTCHA_TEST_KEYS.publisher.siteKey,
    hcaptchaJsUrl: localUrlFromEnv(env, "HCAPTCHA_JS_URL", "http://localhost:8003/1/api.js"),
    recaptchaSiteKey:
      siteKeyFromEnv(env, "RECAPTCHA_SITE_KEY", LOCAL_RECAPTCHA_SITE_KEY) ??
      LOCAL_RECAPTCHA_SITE_KEY,
    recaptchaJsUrl: localUrlFromEnv(
      env,
      "RECAPTCHA_JS_URL",
      "http://localhost:8003/recaptcha/api.js",
    ),
    fingerprintPublicApiKey:
      siteKeyFromEnv(env, "FINGERPRINT_PUBLIC_API_KEY", LOCAL_FINGERPRINT_KEY) ??
      LOCAL_FINGERPRINT_KEY,
    fingerprintAgentUrl: localUrlFromEnv(
      env,
      "FINGERPRINT_AGENT_URL",
      "http://localhost:8003/fingerprint/v3/",
    ),
    turnstileSiteKey:
      siteKeyFromEnv(env, "TURNSTILE_SITE_KEY", TURNSTILE_TEST_KEYS.alwaysPasses) ??
      TURNSTILE_TEST_KEYS.alwaysPasses,
    turnstileJsUrl: localUrlFromEnv(
      env,
      "TURNSTILE_JS_URL",
      "http://localhost:8003/turnstile/v0/api.js",
    ),
    distDir: distDirFromEnv(env),
    revalidateFiles: flagFromEnv(env, "WEB_REVALIDATE_FILES"),
  };
}

/** "1" on, unset, "" or "0" off; anything else is a mistake worth saying. */
function flagFromEnv(env: Env, name: string): boolean {
  const raw = env[name] ?? "";
  if (raw !== "" && raw !== "0" && raw !== "1") {
    throw new ConfigError(`${name} must be 1 or 0, got "${raw}"`);
  }
  return raw === "1";
}

function apiDomainFromEnv(env: Env): string {
  const raw = env.API_DOMAIN || "localhost";
  if (!API_DOMAIN.test(raw)) {
    throw new ConfigError(
      `API_DOMAIN must be a host name like shapes.example.com (no scheme, no path), got "${raw}"`,
    );
  }
  return raw;
}

function siteKeyFromEnv(env: Env, name: string, fallback: string | undefined) {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!SITE_KEY.test(raw)) {
    throw new ConfigError(`${name} must be a site key (letters, digits, "-", "_", ".", ":")`);
  }
  return raw;
}

/** Unset: the local sandbox; empty: the real service (the pages keep its URL). */
function localUrlFromEnv(env: Env, name: string, sandboxUrl: string): string | undefined {
  if (env[name] === "") return undefined;
  const raw = urlFromEnv(env, name, sandboxUrl);
  // The serialised form percent-encodes quotes and angle brackets: safe inside an attribute.
  return new URL(raw).href;
}

/** WEB_DIST_DIR serves another copy of the site, e.g. one whose placeholders were edited by hand. */
function distDirFromEnv(env: Env): string {
  const raw = env.WEB_DIST_DIR;
  if (raw === undefined || raw === "") return DEFAULT_DIST_DIR;
  return `${resolve(raw)}${sep}`;
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, "");
}
