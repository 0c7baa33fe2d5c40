import { type Integration, isErrorCode, ATTEST_PARAMS as P } from "@shapes/protocol";

/**
 * Label values of the metrics. Every value comes from a fixed set or from the account's
 * own configuration (registered API domains): never a token, secret, IP, site key or any
 * other text a client sent, so cardinality stays bounded whatever the traffic.
 */

/** The integrations of one decision: one of them, several ("combined"), or none known. */
export type IntegrationLabel = Integration | "combined" | "none";

export const INTEGRATIONS: readonly Integration[] = ["hcaptcha", "recaptcha", "fingerprint"];

export function integrationLabel(integrations: Iterable<Integration>): IntegrationLabel {
  const set = new Set(integrations);
  if (set.size === 0) return "none";
  if (set.size > 1) return "combined";
  return [...set][0] as Integration;
}

/** Which integrations a request's parameter names ask for (names only, never values). */
const PARAM_INTEGRATION: Readonly<Record<string, Integration>> = {
  [P.hcaptchaSiteKey]: "hcaptcha",
  [P.hcaptchaToken]: "hcaptcha",
  [P.hcaptchaKey]: "hcaptcha",
  [P.hcaptchaHost]: "hcaptcha",
  [P.recaptchaSiteKey]: "recaptcha",
  [P.recaptchaToken]: "recaptcha",
  [P.fingerprintPublicApiKey]: "fingerprint",
  [P.fingerprintVisitorId]: "fingerprint",
  [P.fingerprintRequestId]: "fingerprint",
};

export function integrationsOfParams(names: Iterable<string>): Integration[] {
  const found = new Set<Integration>();
  for (const name of names) {
    const integration = Object.hasOwn(PARAM_INTEGRATION, name)
      ? PARAM_INTEGRATION[name]
      : undefined;
    if (integration) found.add(integration);
  }
  return INTEGRATIONS.filter((integration) => found.has(integration));
}

/** Embed keys (`hcap:<key>`, ...) name the session's integrations on /refresh. */
const EMBED_INTEGRATION: readonly [string, Integration][] = [
  ["hcap:", "hcaptcha"],
  ["recap:", "recaptcha"],
  ["fp:", "fingerprint"],
];

export function integrationsOfEmbedKeys(keys: Iterable<string>): Integration[] {
  const found = new Set<Integration>();
  for (const key of keys) {
    for (const [prefix, integration] of EMBED_INTEGRATION) {
      if (key.startsWith(prefix)) found.add(integration);
    }
  }
  return INTEGRATIONS.filter((integration) => found.has(integration));
}

/** An error code of the seed's table as is; anything else (never expected) as "other". */
export const codeLabel = (code: string): string => (isErrorCode(code) ? code : "other");

/** The integration a rate-limit refusal's code stands for. */
const TOKEN_CHECK_INTEGRATION: Readonly<Record<string, Integration>> = {
  "hcap-token-check": "hcaptcha",
  "recap-token-check": "recaptcha",
  "fp-tok-check": "fingerprint",
};

export function integrationOfTokenCheckCode(code: string): Integration | undefined {
  return Object.hasOwn(TOKEN_CHECK_INTEGRATION, code) ? TOKEN_CHECK_INTEGRATION[code] : undefined;
}

/** At most this many API label values ever (domains added and removed over time add up). */
const MAX_API_LABELS = 200;

/**
 * The `api` label values of a request: each distinct requested domain that is registered in
 * the account (one increment per API), anything else "other"; no API at all is "other" too.
 */
export class ApiLabels {
  readonly #seen = new Set<string>();

  constructor(private readonly isRegistered: (domain: string) => boolean) {}

  of(apis: readonly string[]): string[] {
    const labels = new Set<string>();
    for (const api of apis) labels.add(this.#label(api));
    if (labels.size === 0) labels.add("other");
    return [...labels];
  }

  #label(api: string): string {
    if (!this.isRegistered(api)) return "other";
    if (this.#seen.has(api)) return api;
    if (this.#seen.size >= MAX_API_LABELS) return "other";
    this.#seen.add(api);
    return api;
  }
}
