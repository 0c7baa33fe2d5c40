import type { ErrorCode } from "@shapes/protocol";
import {
  LOCAL_FINGERPRINT_PUBLIC_KEY,
  RECAPTCHA_V2_TEST_KEYS,
  TURNSTILE_DUMMY_TOKEN,
  TURNSTILE_TEST_KEYS,
} from "@shapes/protocol";
import { describe, expect, it } from "vitest";
import type { Account } from "../src/account/account.js";
import { expectErrorAnswer, type Flow } from "./helpers/error-codes.js";
import { PUBLISHER, sdkApp } from "./helpers/sdk-setup.js";
import { postAttest } from "./helpers/test-app.js";

/**
 * The web protection parameter and account codes (aprv-*, hcap-*, recap-*, fp-*, turn-*), each
 * triggered over HTTP in both flows: the form flow (`POST /attest`) and the SDK's
 * `POST /token` (with a valid DPoP proof, so the answer lists only the parameter codes).
 * All are found before any upstream call: no sandbox needed.
 */

type Params = Record<string, string>;

const HCAPTCHA: Params = {
  "hcaptcha-site-key": PUBLISHER.siteKey,
  "hcaptcha-token": PUBLISHER.response,
};
const RECAPTCHA: Params = {
  "recaptcha-site-key": RECAPTCHA_V2_TEST_KEYS.siteKey,
  "recaptcha-token": "a-recaptcha-token",
};
const FINGERPRINT: Params = {
  "fingerprint-public-api-key": LOCAL_FINGERPRINT_PUBLIC_KEY,
  "fingerprint-visitor-id": "eZsCHxhztqEOX0ZmOlwi",
  "fingerprint-request-id": "1708102555327.NLOjmg",
};

const TURNSTILE: Params = {
  "turnstile-site-key": TURNSTILE_TEST_KEYS.alwaysPasses,
  "turnstile-token": TURNSTILE_DUMMY_TOKEN,
};

interface Case {
  name: string;
  /** The web protection parameters (api and approov-site-key are added). */
  params: Params;
  account?: (account: Account) => void;
  /** Replaces the approov-site-key (null leaves it out). */
  siteKey?: string | null;
  payload?: string;
  codes: ErrorCode[];
  /** Expected details, where they matter. */
  details?: Partial<Record<ErrorCode, string>>;
}

const without = (params: Params, name: string): Params =>
  Object.fromEntries(Object.entries(params).filter(([key]) => key !== name));
const emptied = (params: Params): Params =>
  Object.fromEntries(Object.keys(params).map((key) => [key, ""]));

const CASES: Case[] = [
  // The account and request level.
  { name: "no site key", params: HCAPTCHA, siteKey: null, codes: ["aprv-no-site-key"] },
  {
    name: "another account's site key",
    params: HCAPTCHA,
    siteKey: "123a4567-abcd-42e3-9a8a-9b1234d54321",
    codes: ["aprv-no-matching-account"],
  },
  { name: "no web protection parameters", params: {}, codes: ["aprv-no-web-protect-params"] },
  {
    name: "an account without any integration entry",
    params: RECAPTCHA,
    account: (a) => {
      a.hcaptcha.sites = {};
      a.recaptcha.sites = {};
      a.fingerprint.subscriptions = {};
      a.turnstile.sites = {};
    },
    codes: ["aprv-no-web-protect-def", "recap-config-not-found"],
  },
  {
    name: "a payload that is not base64url",
    params: HCAPTCHA,
    payload: "not base64url!",
    codes: ["aprv-payload-not-b64url"],
  },
  {
    name: "a payload of the wrong size",
    params: HCAPTCHA,
    payload: Buffer.alloc(31).toString("base64url"),
    codes: ["aprv-payload-param-invalid-size"],
  },
  // hCaptcha.
  {
    name: "hCaptcha site key without token",
    params: without(HCAPTCHA, "hcaptcha-token"),
    codes: ["hcap-param-mismatch"],
  },
  {
    name: "empty hCaptcha parameters",
    params: emptied(HCAPTCHA),
    codes: ["hcap-empty-site-key", "hcap-empty-token"],
  },
  {
    name: "an unknown hCaptcha site key",
    params: { ...HCAPTCHA, "hcaptcha-site-key": "unknown-site" },
    codes: ["hcap-site-key-not-found"],
    details: { "hcap-site-key-not-found": "unknown-site" },
  },
  {
    name: "hCaptcha parameters, no hCaptcha site",
    params: HCAPTCHA,
    account: (a) => (a.hcaptcha.sites = {}),
    codes: ["hcap-config-not-found"],
  },
  {
    name: "hCaptcha required, reCAPTCHA given",
    params: RECAPTCHA,
    account: (a) => (a.hcaptcha.optional = false),
    codes: ["hcap-missing-required-params"],
  },
  // reCAPTCHA.
  {
    name: "reCAPTCHA site key without token",
    params: without(RECAPTCHA, "recaptcha-token"),
    codes: ["recap-param-mismatch"],
    details: { "recap-param-mismatch": "recaptcha-token is missing" },
  },
  {
    name: "reCAPTCHA token without site key",
    params: without(RECAPTCHA, "recaptcha-site-key"),
    codes: ["recap-param-mismatch"],
    details: { "recap-param-mismatch": "recaptcha-site-key is missing" },
  },
  {
    name: "empty reCAPTCHA parameters",
    params: emptied(RECAPTCHA),
    codes: ["recap-empty-site-key", "recap-empty-token"],
  },
  {
    name: "an unknown reCAPTCHA site key",
    params: { ...RECAPTCHA, "recaptcha-site-key": "6LunknownSiteKey" },
    codes: ["recap-site-key-not-found"],
    details: { "recap-site-key-not-found": "6LunknownSiteKey" },
  },
  {
    name: "reCAPTCHA parameters, no reCAPTCHA site",
    params: RECAPTCHA,
    account: (a) => (a.recaptcha.sites = {}),
    codes: ["recap-config-not-found"],
  },
  {
    name: "reCAPTCHA required, hCaptcha given",
    params: HCAPTCHA,
    account: (a) => (a.recaptcha.optional = false),
    codes: ["recap-missing-required-params"],
  },
  // Fingerprint.
  {
    name: "Fingerprint without request id",
    params: without(FINGERPRINT, "fingerprint-request-id"),
    codes: ["fp-param-mismatch"],
    details: { "fp-param-mismatch": "missing: fingerprint-request-id" },
  },
  {
    name: "empty Fingerprint parameters",
    params: emptied(FINGERPRINT),
    codes: ["fp-empty-browser-tok", "fp-empty-vis-id", "fp-empty-rqst-id"],
  },
  {
    name: "an unknown Fingerprint public key",
    params: { ...FINGERPRINT, "fingerprint-public-api-key": "unknown-public-key" },
    codes: ["fp-browser-tok-not-found"],
    details: { "fp-browser-tok-not-found": "unknown-public-key" },
  },
  {
    name: "Fingerprint parameters, no subscription",
    params: FINGERPRINT,
    account: (a) => (a.fingerprint.subscriptions = {}),
    codes: ["fp-config-not-found"],
  },
  {
    name: "Fingerprint required, hCaptcha given",
    params: HCAPTCHA,
    account: (a) => (a.fingerprint.optional = false),
    codes: ["fp-missing-required-params"],
  },
  {
    name: "Fingerprint ids that are not bounded visible ASCII",
    params: {
      ...FINGERPRINT,
      "fingerprint-visitor-id": "v".repeat(257),
      "fingerprint-request-id": "a b",
    },
    codes: ["rqst-illegal-params"],
    details: {
      "rqst-illegal-params":
        "fingerprint-visitor-id: must be 1 to 256 visible ASCII characters, fingerprint-request-id: must be 1 to 256 visible ASCII characters",
    },
  },
  // Turnstile: the same rules through the same registry.
  {
    name: "Turnstile site key without token",
    params: without(TURNSTILE, "turnstile-token"),
    codes: ["turn-param-mismatch"],
    details: { "turn-param-mismatch": "turnstile-token is missing" },
  },
  {
    name: "empty Turnstile parameters",
    params: emptied(TURNSTILE),
    codes: ["turn-empty-site-key", "turn-empty-token"],
  },
  {
    name: "an unknown Turnstile site key",
    params: { ...TURNSTILE, "turnstile-site-key": "0x4AAAAAAAunknown" },
    codes: ["turn-site-key-not-found"],
    details: { "turn-site-key-not-found": "0x4AAAAAAAunknown" },
  },
  {
    name: "Turnstile parameters, no Turnstile site",
    params: TURNSTILE,
    account: (a) => (a.turnstile.sites = {}),
    codes: ["turn-config-not-found"],
  },
  {
    name: "Turnstile required, hCaptcha given",
    params: HCAPTCHA,
    account: (a) => (a.turnstile.optional = false),
    codes: ["turn-missing-required-params"],
  },
  // Several integrations: every problem of every integration in one answer.
  {
    name: "problems in all three integrations at once",
    params: {
      ...emptied(HCAPTCHA),
      ...without(RECAPTCHA, "recaptcha-token"),
      ...FINGERPRINT,
      "fingerprint-public-api-key": "nope",
    },
    account: (a) => (a.recaptcha.optional = false),
    codes: [
      "hcap-empty-site-key",
      "hcap-empty-token",
      "recap-param-mismatch",
      "fp-browser-tok-not-found",
    ],
  },
  {
    name: "every integration required, none given",
    params: {},
    account: (a) => {
      a.hcaptcha.optional = false;
      a.recaptcha.optional = false;
      a.fingerprint.optional = false;
      a.turnstile.optional = false;
    },
    codes: [
      "aprv-no-web-protect-params",
      "hcap-missing-required-params",
      "recap-missing-required-params",
      "fp-missing-required-params",
      "turn-missing-required-params",
    ],
  },
];

function form(account: Account, c: Case): [string, string][] {
  const siteKey = c.siteKey === undefined ? account.siteKey : c.siteKey;
  return [
    ["api", "localhost"],
    ...(siteKey !== null ? [["approov-site-key", siteKey] as [string, string]] : []),
    ...(c.payload !== undefined ? [["payload", c.payload] as [string, string]] : []),
    ...Object.entries(c.params),
  ];
}

async function answer(flow: Flow, c: Case) {
  const setup = await sdkApp(c.account ? { account: c.account } : {});
  const body = form(setup.account, c);
  const res =
    flow === "attest"
      ? await postAttest(setup.app, body)
      : await setup.client.post(setup.app, "/token", body);
  return { res, logs: setup.logs };
}

describe.each(["attest", "token"] as const)("POST /%s: web protection parameter codes", (flow) => {
  it.each(CASES)("$name", async (c) => {
    const { res, logs } = await answer(flow, c);
    const body = await expectErrorAnswer(res, flow, 400, c.codes);
    for (const [code, detail] of Object.entries(c.details ?? {})) {
      expect(body.errors[code as ErrorCode]).toBe(detail);
    }
    expect(logs.at(-1)).toMatchObject({ msg: flow, outcome: "error" });
    if (flow === "token") expect(res.headers.get("dpop-nonce")).toBeTruthy();
  });
});
