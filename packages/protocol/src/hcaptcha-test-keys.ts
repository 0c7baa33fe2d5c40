/**
 * hCaptcha's published test keys. With the test secret, siteverify accepts each
 * key's dummy response token; the sandbox honours them and the local account
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
