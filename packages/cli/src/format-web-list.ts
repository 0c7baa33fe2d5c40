import {
  type EntryField,
  INTEGRATIONS,
  type Integration,
  type IntegrationDescriptor,
  integrationDescriptor,
} from "@shapes/protocol";
import {
  type AccountView,
  type EntryView,
  type IntegrationView,
  integrationOf,
} from "./account-view.js";
import { formatSeconds } from "./durations.js";

/** Integrations in the order `web -list` prints them (the seed's section order). */
const LIST_ORDER = [...INTEGRATIONS].sort((a, b) => a.listPosition - b.listPosition);

/** The seed prints scores and probabilities with two decimals (`Min Score: 0.00`). */
const twoDecimals = (value: number) => value.toFixed(2);

/** One field's lines, in the seed's wording. */
function fieldLines(field: EntryField, value: unknown): string[] {
  switch (field.kind) {
    case "secret":
      return [];
    case "hosts":
    case "texts": {
      // The seed omits the entry when the list is empty; values sit two spaces deeper.
      const values = value as string[];
      return values.length === 0 ? [] : [`${field.label}:`, ...values.map((v) => `  ${v}`)];
    }
    case "fraction":
      return [`${field.label}: ${twoDecimals(value as number)}`];
    case "positive-seconds":
      return [`${field.label}: ${twoDecimals(value as number)}s`];
    case "seconds":
      return [`${field.label}: ${formatSeconds(value as number)}`];
    case "whole":
      // Listed only when set, as the seed's property table says (Rate Limit).
      return value === 0 ? [] : [`${field.label}: ${value}`];
    default:
      return [`${field.label}: ${value}`];
  }
}

function entryLines(d: IntegrationDescriptor, entry: EntryView): string[] {
  return d.entryFields.flatMap((field) => fieldLines(field, entry[field.name]));
}

/**
 * One integration's block without its heading: `Optional`, then each entry (sorted by key)
 * with its properties indented by two more spaces.
 */
function blockLines(d: IntegrationDescriptor, view: IntegrationView | undefined): string[] {
  const lines = [`Optional: ${view?.optional ?? true}`];
  const entries = Object.entries(view?.entries ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [key, entry] of entries) {
    lines.push(`${d.entryKeyLabel}: ${key}`);
    lines.push(...entryLines(d, entry).map((l) => `  ${l}`));
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
  for (const d of LIST_ORDER) {
    const view = integrationOf(account, d.name);
    // An integration appears once it has an entry, or was made required.
    if (!view || (Object.keys(view.entries).length === 0 && view.optional)) continue;
    lines.push(`${d.title}:`);
    lines.push(...blockLines(d, view).map((l) => `  ${l}`));
  }
  return `${lines.join("\n")}\n`;
}

/** `approov web -hcaptcha -list`: that integration's block, as the quickstart shows it. */
export function formatIntegrationList(account: AccountView, name: Integration): string {
  const d = integrationDescriptor(name);
  return `${blockLines(d, integrationOf(account, d.name)).join("\n")}\n`;
}
