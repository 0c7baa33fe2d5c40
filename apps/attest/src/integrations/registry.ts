import { INTEGRATIONS } from "@shapes/protocol";
import { fingerprint } from "./fingerprint/index.js";
import type { FingerprintSettings } from "./fingerprint/settings.js";
import type { FingerprintSubscriptionConfig } from "./fingerprint/subscription.js";
import { type HcaptchaSettings, hcaptcha } from "./hcaptcha/index.js";
import type { AnyIntegrationUnit, IntegrationSection } from "./integration.js";
import { type RecaptchaSettings, recaptcha } from "./recaptcha/index.js";
import type { RecaptchaSiteConfig } from "./recaptcha/site.js";
import type { CaptchaSiteConfig } from "./siteverify/captcha-site.js";
import { type TurnstileSettings, turnstile } from "./turnstile/index.js";
import type { TurnstileSiteConfig } from "./turnstile/site.js";

/**
 * Every integration attest runs, once, in the protocol's order. Adding one: its descriptor
 * in `packages/protocol`, its folder here, and a line in each list below.
 */
export const INTEGRATION_UNITS: readonly AnyIntegrationUnit[] = [
  hcaptcha,
  recaptcha,
  fingerprint,
  turnstile,
];

/** The account's section of each integration (its file and admin shape). */
export interface IntegrationSections {
  hcaptcha: IntegrationSection<CaptchaSiteConfig, "sites">;
  recaptcha: IntegrationSection<RecaptchaSiteConfig, "sites">;
  fingerprint: IntegrationSection<FingerprintSubscriptionConfig, "subscriptions">;
  turnstile: IntegrationSection<TurnstileSiteConfig, "sites">;
}

/** Every integration's part of the service's settings. */
export type IntegrationSettings = HcaptchaSettings &
  RecaptchaSettings &
  FingerprintSettings &
  TurnstileSettings;

// The protocol declares the list; a unit missing here, or out of order, is a bug at start.
const declared = INTEGRATIONS.map((d) => d.name).join();
if (INTEGRATION_UNITS.map((u) => u.descriptor.name).join() !== declared) {
  throw new Error(`attest's integration units do not match the protocol's list: ${declared}`);
}
