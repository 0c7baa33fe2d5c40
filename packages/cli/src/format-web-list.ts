import type {
  AccountView,
  FingerprintSubscriptionView,
  HcaptchaSiteView,
  Integration,
  IntegrationView,
  RecaptchaSiteView,
} from "./account-view.js";
import { formatSeconds } from "./durations.js";

/** The headings of `approov web -list`, in the seed's spelling. */
export const INTEGRATION_HEADINGS: Record<Integration, string> = {
  fingerprint: "Fingerprint",
  recaptcha: "reCAPTCHA",
  hcaptcha: "hCaptcha",
};

/** Integrations in the order `web -list` prints them (the seed's section order). */
const LIST_ORDER: readonly Integration[] = ["fingerprint", "recaptcha", "hcaptcha"];

/** The seed prints scores and probabilities with two decimals (`Min Score: 0.00`). */
const twoDecimals = (value: number) => value.toFixed(2);

function listLines(label: string, values: readonly string[]): string[] {
  // The seed omits the entry when the list is empty; values sit two spaces deeper.
  return values.length === 0 ? [] : [`${label}:`, ...values.map((v) => `  ${v}`)];
}

function tailLines(entry: {
  embedResult: boolean;
  maxResultLifetimeSeconds: number;
  rateLimit: number;
}): string[] {
  return [
    `Embed Result: ${entry.embedResult}`,
    `Max Result Lifetime: ${formatSeconds(entry.maxResultLifetimeSeconds)}`,
    // Listed only when set, as the seed's property table says.
    ...(entry.rateLimit !== 0 ? [`Rate Limit: ${entry.rateLimit}`] : []),
  ];
}

function captchaSiteLines(site: HcaptchaSiteView | RecaptchaSiteView): string[] {
  return [
    ...listLines("Domains", site.domains),
    ...("actions" in site ? listLines("Actions", site.actions) : []),
    `Min Score: ${twoDecimals(site.minScore)}`,
    `Include IP: ${site.includeIP}`,
    ...tailLines(site),
  ];
}

function fingerprintLines(subscription: FingerprintSubscriptionView): string[] {
  return [
    `Region: ${subscription.region}`,
    `Max Elapsed Time: ${twoDecimals(subscription.maxElapsedTimeSeconds)}s`,
    `Max Bot Probability: ${twoDecimals(subscription.maxBotProbability)}`,
    ...tailLines(subscription),
  ];
}

type AnyIntegrationView = IntegrationView<
  HcaptchaSiteView | RecaptchaSiteView | FingerprintSubscriptionView
>;

function integrationView(account: AccountView, name: Integration): AnyIntegrationView | undefined {
  return account[name];
}

/**
 * One integration's block without its heading: `Optional`, then each site (sorted by key)
 * with its properties indented by two more spaces.
 */
function blockLines(name: Integration, view: AnyIntegrationView | undefined): string[] {
  const lines = [`Optional: ${view?.optional ?? true}`];
  const entries = Object.entries(view?.entries ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [key, entry] of entries) {
    if (name === "fingerprint") {
      lines.push(`Subscription Key: ${key}`);
      lines.push(...fingerprintLines(entry as FingerprintSubscriptionView).map((l) => `  ${l}`));
    } else {
      lines.push(`Site Key: ${key}`);
      lines.push(...captchaSiteLines(entry as HcaptchaSiteView).map((l) => `  ${l}`));
    }
  }
  return lines;
}

/** `approov web -list`: the account's web configuration in the seed's layout. Never secrets. */
export function formatWebList(account: AccountView): string {
  const lines = [
    `Site Key: ${account.siteKey}`,
    `Token Lifetime: ${account.tokenLifetimeSeconds} seconds`,
    `Refresh Token Lifetime: ${account.refreshTokenLifetimeSeconds} seconds`,
  ];
  for (const name of LIST_ORDER) {
    const view = integrationView(account, name);
    // An integration appears once it has an entry, or was made required.
    if (!view || (Object.keys(view.entries).length === 0 && view.optional)) continue;
    lines.push(`${INTEGRATION_HEADINGS[name]}:`);
    lines.push(...blockLines(name, view).map((l) => `  ${l}`));
  }
  return `${lines.join("\n")}\n`;
}

/** `approov web -hcaptcha -list`: that integration's block, as the quickstart shows it. */
export function formatIntegrationList(account: AccountView, name: Integration): string {
  return `${blockLines(name, integrationView(account, name)).join("\n")}\n`;
}
