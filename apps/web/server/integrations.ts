import type { WebConfig } from "./config.js";

/** The web config fields holding a local stand-in URL (undefined = the real service). */
export type ScriptUrlField =
  | "hcaptchaJsUrl"
  | "recaptchaJsUrl"
  | "fingerprintAgentUrl"
  | "turnstileJsUrl";

interface CspSources {
  script: string[];
  frame: string[];
  connect: string[];
  style: string[];
}

/**
 * What pages load from each human-check service: the real URLs as the services document
 * them (which the server maps to the local sandbox when one is configured), and the origins
 * the real service needs in the Content-Security-Policy.
 */
export const INTEGRATION_SCRIPTS: readonly {
  name: string;
  field: ScriptUrlField;
  realUrls: readonly string[];
  realSources: CspSources;
}[] = [
  {
    name: "hCaptcha",
    field: "hcaptchaJsUrl",
    // The quickstart's script tag, and @hcaptcha/vanilla-hcaptcha's default `jsapi`.
    realUrls: ["https://hcaptcha.com/1/api.js", "https://js.hcaptcha.com/1/api.js"],
    realSources: {
      script: ["https://hcaptcha.com", "https://*.hcaptcha.com"],
      frame: ["https://hcaptcha.com", "https://*.hcaptcha.com"],
      connect: ["https://hcaptcha.com", "https://*.hcaptcha.com"],
      style: ["https://hcaptcha.com", "https://*.hcaptcha.com"],
    },
  },
  {
    name: "reCAPTCHA",
    field: "recaptchaJsUrl",
    realUrls: ["https://www.google.com/recaptcha/api.js"],
    realSources: {
      script: ["https://www.google.com/recaptcha/", "https://www.gstatic.com/recaptcha/"],
      frame: ["https://www.google.com/recaptcha/", "https://recaptcha.google.com/recaptcha/"],
      connect: [],
      style: [],
    },
  },
  {
    name: "Fingerprint",
    field: "fingerprintAgentUrl",
    // The agent's CDN prefix: pages import `https://fpjscdn.net/v3/<public key>`.
    realUrls: ["https://fpjscdn.net/v3/"],
    realSources: {
      script: ["https://fpjscdn.net"],
      frame: [],
      connect: ["https://api.fpjs.io", "https://*.api.fpjs.io"],
      style: [],
    },
  },
  {
    name: "Turnstile",
    field: "turnstileJsUrl",
    realUrls: ["https://challenges.cloudflare.com/turnstile/v0/api.js"],
    realSources: {
      script: ["https://challenges.cloudflare.com"],
      frame: ["https://challenges.cloudflare.com"],
      connect: ["https://challenges.cloudflare.com"],
      style: [],
    },
  },
];

/** The CSP sources each integration needs under this config (local stand-in or real). */
export function integrationSources(config: Pick<WebConfig, ScriptUrlField>): CspSources {
  const all: CspSources = { script: [], frame: [], connect: [], style: [] };
  for (const integration of INTEGRATION_SCRIPTS) {
    const local = config[integration.field];
    const sources: CspSources =
      local === undefined
        ? integration.realSources
        : (() => {
            const origin = new URL(local).origin;
            return { script: [origin], frame: [origin], connect: [origin], style: [origin] };
          })();
    for (const key of Object.keys(all) as (keyof CspSources)[]) all[key].push(...sources[key]);
  }
  return all;
}
