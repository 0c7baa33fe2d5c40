import { randomBytes, randomInt } from "node:crypto";

/**
 * Google's published reCAPTCHA v2 test keys: with this secret every verification passes,
 * against the sandbox and against the real Google alike.
 */
export const RECAPTCHA_V2_TEST_KEYS = {
  siteKey: "6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI",
  secret: "6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe",
} as const;

/** The local reCAPTCHA v3 demo site: shaped like a real key (40 characters, "6L..."). */
export const LOCAL_RECAPTCHA_V3_SITE_KEY = "6LcLocalSandboxV3DemoSiteKey000000000000";

/** The local Fingerprint subscription's public API key (the sandbox accepts any). */
export const LOCAL_FINGERPRINT_PUBLIC_KEY = "local-sandbox-public-key";

/** A secret the sandbox's reCAPTCHA accepts: "6L" + 38 of [A-Za-z0-9_-], like Google's. */
export function newRecaptchaSandboxSecret(): string {
  return `6L${randomBytes(29).toString("base64url").slice(0, 38)}`;
}

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A secret the sandbox's Fingerprint Server API accepts: 24 alphanumerics. */
export function newFingerprintSandboxSecret(): string {
  return Array.from({ length: 24 }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join("");
}
