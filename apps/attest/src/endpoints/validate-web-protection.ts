import { integrationParams } from "@shapes/protocol";
import { type Account, sectionOf } from "../account/account.js";
import type { ErrorCollector } from "../http/attest-error.js";
import type { GroupedParams } from "../http/group-params.js";
import { clip } from "../http/list-for-detail.js";
import type { AnyIntegrationUnit, RequestedCheck } from "../integrations/integration.js";
import { INTEGRATION_UNITS } from "../integrations/registry.js";

/** One integration's check of a request: the unit that runs it and what to run. */
export interface PlannedCheck {
  unit: AnyIntegrationUnit;
  request: RequestedCheck;
}

/** The checks of one request, in the registry's order: at least one. */
export type WebProtectionChecks = PlannedCheck[];

/** The account's entry under `key`, own properties only (a key like "__proto__" is no entry). */
function entry<T>(entries: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(entries, key) ? entries[key] : undefined;
}

/**
 * One integration's parameters: all present (else its param-mismatch code), none empty
 * (its empty codes), its own further checks, then an entry of the account under the key.
 */
function validateIntegration(
  unit: AnyIntegrationUnit,
  p: GroupedParams,
  matched: Account | undefined,
  e: ErrorCollector,
): PlannedCheck | undefined {
  const { keyParam, resultParams, codes, emptyCodes } = unit.descriptor;
  const names = [keyParam, ...resultParams];
  const missing = names.filter((name) => !p.has(name));
  if (missing.length > 0) e.add(codes.paramMismatch, unit.mismatchDetail(missing));
  for (const name of names) {
    const code = emptyCodes[name];
    if (code && p.first(name) === "") e.add(code);
  }
  const extras = unit.readParams(p, e);
  if (!matched) return undefined;
  const { entries } = sectionOf(matched, unit.descriptor);
  if (Object.keys(entries).length === 0) {
    e.add(codes.configNotFound);
    return undefined;
  }
  const key = p.first(keyParam);
  if (!key) return undefined;
  const found = entry(entries, key);
  if (!found) e.add(codes.keyNotFound, clip(key));
  const results = Object.fromEntries(resultParams.map((name) => [name, p.first(name) ?? ""]));
  if (!found || Object.values(results).some((value) => value === "")) return undefined;
  return { unit, request: { key, entry: found, results, extras } };
}

/**
 * The web protection parameters of `/attest` and `/token`: which checks were asked for,
 * whether the account can run them (entries defined, required integrations present),
 * and the checks to run. Every problem goes to `e`; undefined when there was any.
 */
export function validateWebProtection(
  p: GroupedParams,
  matched: Account | undefined,
  e: ErrorCollector,
): WebProtectionChecks | undefined {
  // `/token`-only names are refused on /attest by group-params, so they are never present there.
  const given = INTEGRATION_UNITS.filter((unit) =>
    integrationParams(unit.descriptor, "token").some((name) => p.has(name)),
  );
  if (given.length === 0) e.add("aprv-no-web-protect-params");

  if (matched) {
    const sections = INTEGRATION_UNITS.map((unit) => sectionOf(matched, unit.descriptor));
    if (sections.every((section) => Object.keys(section.entries).length === 0)) {
      e.add("aprv-no-web-protect-def");
    }
    INTEGRATION_UNITS.forEach((unit, i) => {
      if (!sections[i]?.optional && !given.includes(unit)) {
        e.add(unit.descriptor.codes.missingRequired);
      }
    });
  }

  const checks: WebProtectionChecks = [];
  for (const unit of given) {
    const check = validateIntegration(unit, p, matched, e);
    if (check) checks.push(check);
  }
  return e.empty ? checks : undefined;
}
