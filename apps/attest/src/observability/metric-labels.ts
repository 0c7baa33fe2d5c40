import {
  INTEGRATION_NAMES,
  type Integration,
  integrationOfEmbedKey,
  integrationOfParam,
  integrationOfTokenCheckCode,
  isErrorCode,
} from "@shapes/protocol";

/**
 * Label values of the metrics. Every value comes from a fixed set or from the account's
 * own configuration (registered API domains): never a token, secret, IP, site key or any
 * other text a client sent, so cardinality stays bounded whatever the traffic.
 */

/** The integrations of one decision: one of them, several ("combined"), or none known. */
export type IntegrationLabel = Integration | "combined" | "none";

export function integrationLabel(integrations: Iterable<Integration>): IntegrationLabel {
  const set = new Set(integrations);
  if (set.size === 0) return "none";
  if (set.size > 1) return "combined";
  return [...set][0] as Integration;
}

/** The integrations found by `of` among `items`, in the protocol's order. */
function integrationsAmong(
  items: Iterable<string>,
  of: (item: string) => Integration | undefined,
): Integration[] {
  const found = new Set<Integration>();
  for (const item of items) {
    const integration = of(item);
    if (integration) found.add(integration);
  }
  return INTEGRATION_NAMES.filter((integration) => found.has(integration));
}

/** Which integrations a request's parameter names ask for (names only, never values). */
export const integrationsOfParams = (names: Iterable<string>): Integration[] =>
  integrationsAmong(names, integrationOfParam);

/** Embed keys (`<prefix><key>`) name the session's integrations on /refresh. */
export const integrationsOfEmbedKeys = (keys: Iterable<string>): Integration[] =>
  integrationsAmong(keys, integrationOfEmbedKey);

/** An error code of the seed's table as is; anything else (never expected) as "other". */
export const codeLabel = (code: string): string => (isErrorCode(code) ? code : "other");

/** The integration a rate-limit refusal's code stands for. */
export { integrationOfTokenCheckCode };

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
