// The four services of the demo and how they are wired together: the one
// definition that `npm start`, the e2e suite and docker-compose follow.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(fileURLToPath(new URL("..", import.meta.url)));

/** Published hCaptcha test key (see packages/protocol): works with the sandbox and the real hCaptcha. */
export const HCAPTCHA_PUBLISHER_TEST_KEY = "10000000-ffff-ffff-ffff-000000000001";

/** Start order matters: the web app comes last so "web is up" means "all is up". */
export const SERVICE_NAMES = ["captcha-sandbox", "attest", "shapes-api", "web"];

/** The built entry point of each service, relative to the repository root. */
export const SERVICE_SCRIPTS = {
  "captcha-sandbox": "apps/captcha-sandbox/dist/main.js",
  attest: "apps/attest/dist/main.js",
  "shapes-api": "apps/shapes-api/dist/main.js",
  web: "apps/web/dist-server/main.js",
};

const DEFAULT_PORTS = { web: 8000, attest: 8001, shapes: 8002, sandbox: 8003 };
const PORT_ENV = {
  web: "WEB_PORT",
  attest: "ATTEST_PORT",
  shapes: "SHAPES_PORT",
  sandbox: "SANDBOX_PORT",
};

/** Ports from env (DESIGN.md names), with clear errors for bad values. */
export function portsFromEnv(env = process.env) {
  const ports = {};
  for (const [key, name] of Object.entries(PORT_ENV)) {
    const raw = env[name];
    const port = raw ? Number(raw) : DEFAULT_PORTS[key];
    if ((raw && !/^\d+$/.test(raw)) || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`${name} must be a port number (1-65535), got "${raw}"`);
    }
    ports[key] = port;
  }
  return ports;
}

export function dataDirFromEnv(env = process.env) {
  return resolve(repoRoot, env.ATTEST_DATA_DIR || ".data");
}

/**
 * Where attest publishes the account's parts for its readers (attest's
 * account/published-files.ts, same variables and defaults): the web app reads only the
 * public file, the API only the token secrets, never the account file or admin.key.
 */
export function publishDirsFromEnv(dataDir, env = process.env) {
  return {
    publicDir: resolve(repoRoot, env.ATTEST_PUBLIC_DIR || join(dataDir, "public")),
    tokenSecretsDir: resolve(
      repoRoot,
      env.ATTEST_TOKEN_SECRETS_DIR || join(dataDir, "token-secrets"),
    ),
  };
}

/** The public file: the Approov site key (the web app's APPROOV_SITE_KEY). */
export function readPublicSite(publicDir) {
  const file = join(publicDir, "site.json");
  const site = JSON.parse(readFileSync(file, "utf8"));
  if (typeof site.siteKey !== "string") {
    throw new Error(`${file} has no siteKey: attest writes it, start attest first`);
  }
  return { siteKey: site.siteKey };
}

/** The token secrets (the API's APPROOV_SECRET and APPROOV_ENCRYPTION_SECRET); never printed. */
export function readTokenSecrets(tokenSecretsDir) {
  const file = join(tokenSecretsDir, "token-secrets.json");
  const secrets = JSON.parse(readFileSync(file, "utf8"));
  if (typeof secrets.secret !== "string") {
    throw new Error(`${file} has no secret: attest writes it, start attest first`);
  }
  return { secret: secrets.secret, encryptionSecret: secrets.encryptionSecret };
}

/**
 * The site key plus the secrets the API needs (HS256 and JWE keys), read from the account
 * file itself: for tests and benchmarks that run where attest's data dir is. The services
 * read the published files above.
 */
export function readAccount(dataDir) {
  const file = join(dataDir, "account.json");
  const account = JSON.parse(readFileSync(file, "utf8"));
  if (typeof account.siteKey !== "string" || typeof account.secret !== "string") {
    throw new Error(`${file} has no siteKey/secret: remove it to let attest create a new account`);
  }
  return {
    siteKey: account.siteKey,
    secret: account.secret,
    encryptionSecret: account.encryptionSecret,
  };
}

/**
 * Each service's command and environment. `env` overrides win, so a deployment
 * (docker-compose, production) can point at other hosts or the real hCaptcha.
 */
export function serviceDefinitions({ ports, dataDir, account = {}, env = process.env }) {
  const local = (port) => `http://localhost:${port}`;
  const webOrigin = env.WEB_ORIGIN || local(ports.web);
  const pick = (name, fallback) => env[name] ?? fallback;
  const sandbox = `http://127.0.0.1:${ports.sandbox}`;
  const published = publishDirsFromEnv(dataDir, env);
  return {
    "captcha-sandbox": {
      script: SERVICE_SCRIPTS["captcha-sandbox"],
      port: ports.sandbox,
      env: { SANDBOX_PORT: String(ports.sandbox) },
    },
    attest: {
      script: SERVICE_SCRIPTS.attest,
      port: ports.attest,
      env: {
        ATTEST_PORT: String(ports.attest),
        ATTEST_DATA_DIR: dataDir,
        // Where it publishes the site key (web) and the token secrets (shapes-api).
        ATTEST_PUBLIC_DIR: published.publicDir,
        ATTEST_TOKEN_SECRETS_DIR: published.tokenSecretsDir,
        WEB_ORIGIN: webOrigin,
        // The upstream checks: the local sandbox unless set to the real services.
        HCAPTCHA_SITEVERIFY_URL: pick("HCAPTCHA_SITEVERIFY_URL", `${sandbox}/siteverify`),
        RECAPTCHA_SITEVERIFY_URL: pick(
          "RECAPTCHA_SITEVERIFY_URL",
          `${sandbox}/recaptcha/api/siteverify`,
        ),
        FINGERPRINT_API_URL_ROW: pick("FINGERPRINT_API_URL_ROW", `${sandbox}/fingerprint/api`),
        FINGERPRINT_API_URL_EU: pick("FINGERPRINT_API_URL_EU", `${sandbox}/fingerprint/eu-api`),
        FINGERPRINT_API_URL_ASIA: pick("FINGERPRINT_API_URL_ASIA", `${sandbox}/fingerprint/ap-api`),
        TURNSTILE_SITEVERIFY_URL: pick(
          "TURNSTILE_SITEVERIFY_URL",
          `${sandbox}/turnstile/v0/siteverify`,
        ),
      },
    },
    "shapes-api": {
      script: SERVICE_SCRIPTS["shapes-api"],
      port: ports.shapes,
      env: {
        SHAPES_PORT: String(ports.shapes),
        APPROOV_SECRET: account.secret,
        // JWE tokens (APIs added with -jwe) are decrypted with the account's encryption secret.
        ...(account.encryptionSecret
          ? { APPROOV_ENCRYPTION_SECRET: account.encryptionSecret }
          : {}),
        WEB_ORIGIN: webOrigin,
      },
    },
    web: {
      script: SERVICE_SCRIPTS.web,
      port: ports.web,
      env: {
        WEB_PORT: String(ports.web),
        API_DOMAIN: pick("API_DOMAIN", "localhost"),
        ATTEST_URL: pick("ATTEST_URL", local(ports.attest)),
        SHAPES_API_URL: pick("SHAPES_API_URL", local(ports.shapes)),
        APPROOV_SITE_KEY: account.siteKey,
        HCAPTCHA_SITE_KEY: pick("HCAPTCHA_SITE_KEY", HCAPTCHA_PUBLISHER_TEST_KEY),
        HCAPTCHA_JS_URL: pick("HCAPTCHA_JS_URL", `${local(ports.sandbox)}/1/api.js`),
        RECAPTCHA_JS_URL: pick("RECAPTCHA_JS_URL", `${local(ports.sandbox)}/recaptcha/api.js`),
        FINGERPRINT_AGENT_URL: pick(
          "FINGERPRINT_AGENT_URL",
          `${local(ports.sandbox)}/fingerprint/v3/`,
        ),
        TURNSTILE_JS_URL: pick("TURNSTILE_JS_URL", `${local(ports.sandbox)}/turnstile/v0/api.js`),
      },
    },
  };
}
