import { fieldPath, hostList, object, onlyKnown, textList } from "../../account/field-checks.js";
import { ENTRY_FIELDS, parseEntryBase } from "../entry-fields.js";
import type { SiteverifySite } from "../siteverify/captcha-site.js";

/** One Turnstile site (`approov web -turnstile -add ...`): Turnstile answers have no score. */
export interface TurnstileSiteConfig extends SiteverifySite {
  /** Actions (the widget's `data-action`) a result must name; empty = no action check. */
  actions: string[];
}

/** One site's properties; `prefix` names it in messages ("" for an admin body). */
export function parseTurnstileSite(raw: unknown, prefix: string): TurnstileSiteConfig {
  const json = object(raw, prefix || "the body");
  onlyKnown(json, prefix, [...ENTRY_FIELDS, "domains", "actions"]);
  const { secret, ...rest } = parseEntryBase(json, prefix);
  return {
    secret,
    domains: hostList(json.domains, fieldPath(prefix, "domains")),
    actions: textList(json.actions, fieldPath(prefix, "actions")),
    ...rest,
  };
}
