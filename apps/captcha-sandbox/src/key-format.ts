/**
 * Site keys (hCaptcha UUIDs, reCAPTCHA "6L..." keys) and Fingerprint public keys: the
 * sandbox has no accounts, so any short token-like string is accepted for all of them.
 */
export const KEY_FORMAT = /^[A-Za-z0-9_-]{1,128}$/;

/** What KEY_FORMAT allows, for error messages. */
export const KEY_FORMAT_TEXT = "1-128 characters of letters, digits, '-' or '_'";
