import { isHostName } from "../account/field-checks.js";
import type { AnyIntegrationUnit } from "../integrations/integration.js";
import { INTEGRATION_UNITS } from "../integrations/registry.js";
import { AdminError } from "./admin-error.js";

const API_DOMAIN = /^([^:]+)(?::(\d{1,5}))?$/;

/** An API domain (the admin API's rule): a host name with an optional :port, lower-cased. */
export function apiDomain(raw: string, field = "domain"): string {
  const text = raw.toLowerCase();
  const match = API_DOMAIN.exec(text);
  const host = match?.[1];
  const port = match?.[2];
  const portOk = port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
  if (!host || !isHostName(host) || !portOk) {
    throw new AdminError(
      400,
      `${field} must be a host name (letters, digits, dots, hyphens) with an optional :port`,
      field,
    );
  }
  return text;
}

/** `PUT /web/<integration>/optional` is a path of its own: no entry may be called that. */
export const RESERVED_KEY = "optional";
const ENTRY_KEY = /^[A-Za-z0-9._~-]{1,256}$/;

/** An entry's key (site key, public API key) as a path segment. */
export function entryKey(raw: string): string {
  if (!ENTRY_KEY.test(raw) || raw === "." || raw === "..") {
    throw new AdminError(400, `key must be 1 to 256 letters, digits, ".", "_", "~" or "-"`, "key");
  }
  if (raw.toLowerCase() === RESERVED_KEY) {
    throw new AdminError(400, `key "${RESERVED_KEY}" is reserved by the admin API`, "key");
  }
  return raw;
}

/** The integration a path names. */
export function integrationUnit(raw: string): AnyIntegrationUnit {
  const unit = INTEGRATION_UNITS.find((u) => u.descriptor.name === raw);
  if (unit) return unit;
  const names = INTEGRATION_UNITS.map((u) => u.descriptor.name);
  throw new AdminError(
    404,
    `unknown integration: use ${names.slice(0, -1).join(", ")} or ${names.at(-1)}`,
  );
}

/** The word for an integration's entries in messages: site, subscription. */
export function entryNoun(unit: AnyIntegrationUnit): string {
  return unit.descriptor.entriesKey.replace(/s$/, "");
}
