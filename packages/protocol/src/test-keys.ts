/**
 * Published test keys of the services, and the local demo account's keys.
 *
 * hCaptcha's: with the test secret, siteverify accepts each key's dummy response token; the sandbox honours them and the local account
 * is pre-configured with them.
 */
export const HCAPTCHA_TEST_SECRET = "0x0000000000000000000000000000000000000000";

export const HCAPTCHA_TEST_KEYS = {
  publisher: {
    siteKey: "10000000-ffff-ffff-ffff-000000000001",
    response: "10000000-aaaa-bbbb-cccc-000000000001",
  },
  enterpriseSafeUser: {
    siteKey: "20000000-ffff-ffff-ffff-000000000002",
    response: "20000000-aaaa-bbbb-cccc-000000000002",
  },
  enterpriseBotDetected: {
    siteKey: "30000000-ffff-ffff-ffff-000000000003",
    response: "30000000-aaaa-bbbb-cccc-000000000003",
  },
} as const;

/**
 * Google's published reCAPTCHA v2 test keys: with this secret every verification passes,
 * against the sandbox and against the real Google alike.
 */
export const RECAPTCHA_V2_TEST_KEYS = {
  siteKey: "6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI",
  secret: "6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe",
} as const;

/** The local account's reCAPTCHA v3 demo site: shaped like a real key (40 characters, "6L..."). */
export const LOCAL_RECAPTCHA_V3_SITE_KEY = "6LcLocalSandboxV3DemoSiteKey000000000000";

/** The local account's Fingerprint subscription public API key (the sandbox accepts any). */
export const LOCAL_FINGERPRINT_PUBLIC_KEY = "local-sandbox-public-key";

/**
 * Cloudflare Turnstile's published testing keys: the test sitekeys make the widget hand out
 * the dummy token, which siteverify accepts only with a test secret; the secret decides the
 * verdict (always passes, always fails, or "already spent").
 */
export const TURNSTILE_TEST_KEYS = {
  alwaysPasses: "1x00000000000000000000AA",
  alwaysBlocks: "2x00000000000000000000AB",
  passesInvisible: "1x00000000000000000000BB",
  blocksInvisible: "2x00000000000000000000BB",
  forcesInteractive: "3x00000000000000000000FF",
} as const;

export const TURNSTILE_TEST_SECRETS = {
  alwaysPasses: "1x0000000000000000000000000000000AA",
  alwaysFails: "2x0000000000000000000000000000000AA",
  alreadySpent: "3x0000000000000000000000000000000AA",
} as const;

/** The token every test sitekey hands out. */
export const TURNSTILE_DUMMY_TOKEN = "XXXX.DUMMY.TOKEN.XXXX";
