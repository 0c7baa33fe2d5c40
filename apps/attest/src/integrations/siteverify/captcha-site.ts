import {
  bool,
  fieldPath,
  fraction,
  hostList,
  type Json,
  object,
  onlyKnown,
} from "../../account/field-checks.js";
import { ENTRY_DEFAULTS, ENTRY_FIELDS, parseEntryBase } from "../entry-fields.js";
import type { EntryBase } from "../integration.js";

/** What every site of a siteverify-based service has (`approov web -<service> -add ...`). */
export interface SiteverifySite extends EntryBase {
  /** Hostnames a result must come from; empty = no domain check. */
  domains: string[];
  /** Minimum probability of being human (0..1); 0 or absent accepts every result. */
  minScore?: number;
  /** Whether the client IP is sent to siteverify as `remoteip`. */
  includeIP?: boolean;
}

/** A site of a scoring captcha (hCaptcha, reCAPTCHA): a minimum score and `remoteip`. */
export interface CaptchaSiteConfig extends SiteverifySite {
  minScore: number;
  includeIP: boolean;
}

/** Defaults of the properties an admin PUT may omit. */
export const SITE_DEFAULTS = {
  ...ENTRY_DEFAULTS,
  domains: [] as string[],
  minScore: 0,
  includeIP: false,
} as const;

const SITE_FIELDS = [...ENTRY_FIELDS, "domains", "minScore", "includeIP"];

/**
 * One site's properties, plus the fields `extra` names (parsed by the caller from the
 * returned JSON). `prefix` names the entry in messages (`<integration>.sites["k"]` in the
 * file, "" for an admin body).
 */
export function parseCaptchaSite(
  raw: unknown,
  prefix: string,
  extra: readonly string[] = [],
): { site: CaptchaSiteConfig; json: Json } {
  const json = object(raw, prefix || "the body");
  onlyKnown(json, prefix, [...SITE_FIELDS, ...extra]);
  const at = (name: string) => fieldPath(prefix, name);
  const { secret, ...rest } = parseEntryBase(json, prefix);
  const site: CaptchaSiteConfig = {
    secret,
    domains: hostList(json.domains, at("domains")),
    minScore: fraction(json.minScore, at("minScore"), SITE_DEFAULTS.minScore),
    includeIP: bool(json.includeIP, at("includeIP"), SITE_DEFAULTS.includeIP),
    ...rest,
  };
  return { site, json };
}

/** A demo site with the default rules: `secret` and `minScore` as given. */
export function demoSite(secret: string, minScore = 0): CaptchaSiteConfig {
  return { ...SITE_DEFAULTS, domains: [], secret, minScore };
}
