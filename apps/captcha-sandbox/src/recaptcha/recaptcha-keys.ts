import { RECAPTCHA_V2_TEST_KEYS } from "@shapes/protocol";

/**
 * Google's published reCAPTCHA v2 test keys (declared once, in protocol): with the test
 * secret every verification passes, for any response, any number of times.
 */
export const RECAPTCHA_TEST_KEYS = RECAPTCHA_V2_TEST_KEYS;

/** The hostname siteverify reports for the test keys, as Google does. */
export const TEST_KEY_HOSTNAME = "testkey.google.com";

/** What a reCAPTCHA secret looks like: 40 characters of [A-Za-z0-9_-] starting "6L". */
export const RECAPTCHA_SECRET_FORMAT = /^6L[A-Za-z0-9_-]{38}$/;

/** The v3 score a site key's tokens get unless the score control says otherwise. */
export const DEFAULT_V3_SCORE = 0.9;

/** reCAPTCHA tokens are valid for 2 minutes after issue. */
export const RECAPTCHA_TOKEN_TTL_MS = 120_000;
