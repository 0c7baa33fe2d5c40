import { fieldPath, textList } from "../../account/field-checks.js";
import { type CaptchaSiteConfig, parseCaptchaSite } from "../siteverify/captcha-site.js";

/** One reCAPTCHA site (`approov web -recaptcha -add ...`): a captcha site plus actions. */
export interface RecaptchaSiteConfig extends CaptchaSiteConfig {
  /** reCAPTCHA v3 actions a result must name; empty = no action check. */
  actions: string[];
}

export function parseRecaptchaSite(raw: unknown, prefix: string): RecaptchaSiteConfig {
  const { site, json } = parseCaptchaSite(raw, prefix, ["actions"]);
  return { ...site, actions: textList(json.actions, fieldPath(prefix, "actions")) };
}
