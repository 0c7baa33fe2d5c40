import {
  TURNSTILE_DUMMY_TOKEN,
  TURNSTILE_TEST_KEYS,
  TURNSTILE_TEST_SECRETS,
} from "@shapes/protocol";

/**
 * Cloudflare's testing keys (developers.cloudflare.com/turnstile/troubleshooting/testing,
 * recorded in the sandbox README): the test sitekeys make the widget pass or fail without
 * a challenge and hand out the dummy token; the test secrets decide siteverify's answer
 * whatever the token; production secrets refuse the dummy token.
 */
export const PASSING_SITEKEYS: ReadonlySet<string> = new Set([
  TURNSTILE_TEST_KEYS.alwaysPasses,
  TURNSTILE_TEST_KEYS.passesInvisible,
  TURNSTILE_TEST_KEYS.forcesInteractive,
]);
export const BLOCKING_SITEKEYS: ReadonlySet<string> = new Set([
  TURNSTILE_TEST_KEYS.alwaysBlocks,
  TURNSTILE_TEST_KEYS.blocksInvisible,
]);
export const TEST_SECRETS = TURNSTILE_TEST_SECRETS;
export const DUMMY_TOKEN = TURNSTILE_DUMMY_TOKEN;

/** The hostname siteverify reports for the dummy token, as Cloudflare does. */
export const DUMMY_HOSTNAME = "example.com";

/** Turnstile tokens: at most 2048 characters, valid 300 s, single use. */
export const TOKEN_MAX_CHARS = 2048;
export const TOKEN_TTL_MS = 300_000;

/** What a widget's secret key looks like: "0x4AAAAAAA" style, 35 characters. */
export const SECRET_FORMAT = /^0x[A-Za-z0-9_-]{20,64}$/;
