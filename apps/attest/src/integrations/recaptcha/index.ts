import { urlFromEnv } from "@shapes/node-service";
import { LOCAL_RECAPTCHA_V3_SITE_KEY, RECAPTCHA, RECAPTCHA_V2_TEST_KEYS } from "@shapes/protocol";
import { demoSite } from "../siteverify/captcha-site.js";
import { siteverifyIntegration } from "../siteverify/siteverify-integration.js";
import { RECAPTCHA_RULES } from "./decision.js";
import { newRecaptchaSandboxSecret } from "./demo-secret.js";
import { parseRecaptchaSite, type RecaptchaSiteConfig } from "./site.js";

/** reCAPTCHA's part of the service's settings. */
export interface RecaptchaSettings {
  /** reCAPTCHA's siteverify endpoint (the sandbox by default). */
  recaptchaSiteverifyUrl: string;
}

const DEFAULTS: RecaptchaSettings = {
  recaptchaSiteverifyUrl: "http://127.0.0.1:8003/recaptcha/api/siteverify",
};

/**
 * reCAPTCHA (v2 and v3): Google's siteverify takes no sitekey field (secret, response and
 * remoteip only), reports full hostnames, and writes timestamps without milliseconds.
 */
export const recaptcha = siteverifyIntegration<RecaptchaSiteConfig, Record<string, never>>({
  descriptor: RECAPTCHA,
  parseEntry: parseRecaptchaSite,
  url: (settings) => settings.recaptchaSiteverifyUrl,
  rules: RECAPTCHA_RULES,
  hostForm: "full",
  challengeTs: (nowMs) => new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, "Z"),
  // v3 answers (a site with minScore or actions) carry a score and an action.
  decoyAnswer: (base, _answer, site) =>
    site.minScore > 0 || site.actions.length > 0
      ? { ...base, score: 0.9, action: site.actions[0] ?? "submit" }
      : base,
  // Google's v2 test key, and a v3 demo site (score 0.5, action "submit") with a generated
  // secret of the shape the sandbox accepts.
  demoEntries: () => ({
    [RECAPTCHA_V2_TEST_KEYS.siteKey]: {
      ...demoSite(RECAPTCHA_V2_TEST_KEYS.secret),
      actions: [],
    },
    [LOCAL_RECAPTCHA_V3_SITE_KEY]: {
      ...demoSite(newRecaptchaSandboxSecret(), 0.5),
      actions: ["submit"],
    },
  }),
  settings: {
    defaults: DEFAULTS,
    fromEnv: (env): RecaptchaSettings => ({
      recaptchaSiteverifyUrl: urlFromEnv(
        env,
        "RECAPTCHA_SITEVERIFY_URL",
        DEFAULTS.recaptchaSiteverifyUrl,
      ),
    }),
  },
});
