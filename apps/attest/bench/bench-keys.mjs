// What the bench's sessions present: hCaptcha's publisher test key and its reusable dummy
// token (HCAPTCHA_TEST_KEYS), its test secret, and the API the tokens are for.
export const HCAPTCHA_TEST_SECRET = "0x0000000000000000000000000000000000000000";
export const PUBLISHER = {
  siteKey: "10000000-ffff-ffff-ffff-000000000001",
  response: "10000000-aaaa-bbbb-cccc-000000000001",
};
export const API = "localhost";

/** The /token form of a session (and the /attest form). */
export const checkForm = (account) => [
  ["api", API],
  ["approov-site-key", account.siteKey],
  ["hcaptcha-site-key", PUBLISHER.siteKey],
  ["hcaptcha-token", PUBLISHER.response],
];

/** The /refresh form of a session. */
export const refreshForm = (account, session) => [
  ["api", API],
  ["approov-site-key", account.siteKey],
  ["refresh-token", session.refreshToken],
];
