import { urlFromEnv } from "@shapes/node-service";
import { TURNSTILE, TURNSTILE_TEST_KEYS, TURNSTILE_TEST_SECRETS } from "@shapes/protocol";
import { ENTRY_DEFAULTS } from "../entry-fields.js";
import { siteverifyIntegration } from "../siteverify/siteverify-integration.js";
import { parseTurnstileSite, type TurnstileSiteConfig } from "./site.js";

/** Turnstile's part of the service's settings. */
export interface TurnstileSettings {
  /**
   * Turnstile's siteverify endpoint: the sandbox by default; in production
   * https://challenges.cloudflare.com/turnstile/v0/siteverify.
   */
  turnstileSiteverifyUrl: string;
}

const DEFAULTS: TurnstileSettings = {
  turnstileSiteverifyUrl: "http://127.0.0.1:8003/turnstile/v0/siteverify",
};

const demoSite = (secret: string): TurnstileSiteConfig => ({
  ...ENTRY_DEFAULTS,
  secret,
  domains: [],
  actions: [],
});

/**
 * Cloudflare Turnstile: siteverify with the secret, the token and (never, here) remoteip;
 * no score. A result must come from an allowed hostname (full host, as Turnstile reports
 * it) and name an allowed action when actions are configured: an answer without one fails
 * then. `internal-error` blames Cloudflare, not the user: an upstream error (502).
 */
export const turnstile = siteverifyIntegration<TurnstileSiteConfig, Record<string, never>>({
  descriptor: TURNSTILE,
  parseEntry: parseTurnstileSite,
  url: (settings) => settings.turnstileSiteverifyUrl,
  rules: {
    name: TURNSTILE.name,
    code: TURNSTILE.codes.tokenCheck,
    configErrorCodes: new Set([
      "missing-input-secret",
      "invalid-input-secret",
      "bad-request",
      "internal-error",
    ]),
    reasonPrefix: "turnstile ",
    extra: (result, site) =>
      site.actions.length > 0 && !site.actions.includes(result.action ?? "")
        ? { passed: false, reason: "turnstile action not allowed" }
        : undefined,
  },
  hostForm: "full",
  challengeTs: (nowMs) => new Date(nowMs).toISOString(),
  // A success answer's fields after success, challenge_ts and hostname.
  decoyAnswer: (base, _answer, site) => ({
    ...base,
    "error-codes": [],
    action: site.actions[0] ?? "",
    cdata: "",
    metadata: { interactive: false },
  }),
  // Cloudflare's always-passing test sitekey with its test secret, and the always-blocking
  // one with the always-failing secret (a decoy on demand).
  demoEntries: () => ({
    [TURNSTILE_TEST_KEYS.alwaysPasses]: demoSite(TURNSTILE_TEST_SECRETS.alwaysPasses),
    [TURNSTILE_TEST_KEYS.alwaysBlocks]: demoSite(TURNSTILE_TEST_SECRETS.alwaysFails),
  }),
  settings: {
    defaults: DEFAULTS,
    fromEnv: (env): TurnstileSettings => ({
      turnstileSiteverifyUrl: urlFromEnv(
        env,
        "TURNSTILE_SITEVERIFY_URL",
        DEFAULTS.turnstileSiteverifyUrl,
      ),
    }),
  },
});
