import { randomBytes } from "node:crypto";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../src/account.js";
import { newRecaptchaSandboxSecret } from "../src/local-demo-keys.js";
import {
  embedOf,
  integrationApp,
  issue,
  isValid,
  type Params,
  recaptchaSite,
} from "./helpers/integration-setup.js";
import { type SdkTestApp, siteConfig } from "./helpers/sdk-setup.js";
import { type RunningSandbox, startSandbox } from "./helpers/start-sandbox.js";

/**
 * A failed siteverify answer has no challenge_ts, so attest fills one in for the decoy.
 * The decoy must not stand out: its embed has the keys of a valid token's embed, in the
 * same order, and a challenge_ts written the way that service writes it (hCaptcha keeps
 * the milliseconds, reCAPTCHA drops them), compared with what the real sandbox answers.
 */

/** hCaptcha's siteverify timestamp: ISO 8601 with milliseconds. */
const HCAPTCHA_TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
/** reCAPTCHA's siteverify timestamp: ISO 8601 to the second. */
const RECAPTCHA_TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/** Sites of our own, so the sandbox issues real single-use tokens for them. */
const HCAPTCHA_SITE = "d0d0c0de-0000-4000-8000-00000000dec0";
const HCAPTCHA_SECRET = `0x${randomBytes(20).toString("hex")}`;
const RECAPTCHA_SITE = "6LcDecoyFormatTestSite000000000000000000";
const RECAPTCHA_SECRET = newRecaptchaSandboxSecret();

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.stop());

/** What differs between the two siteverify services in these tests. */
interface Service {
  name: string;
  embedKey: string;
  format: RegExp;
  addSite(account: Account): void;
  params(token: string): Params;
  /** A fresh single-use token from the sandbox, as the browser widget gets one. */
  freshToken(): Promise<string>;
  /** The decision log reasons of a reused and of a never-issued token. */
  reasons: { reused: string; unknown: string };
}

const SERVICES: Service[] = [
  {
    name: "hCaptcha",
    embedKey: `hcap:${HCAPTCHA_SITE}`,
    format: HCAPTCHA_TS,
    addSite: (a) => {
      a.hcaptcha.sites[HCAPTCHA_SITE] = siteConfig({ secret: HCAPTCHA_SECRET });
    },
    params: (token) => ({ "hcaptcha-site-key": HCAPTCHA_SITE, "hcaptcha-token": token }),
    freshToken: async () => (await sandbox.execute(HCAPTCHA_SITE, "localhost")).response,
    reasons: {
      reused: "hcaptcha success=false (already-seen-response)",
      unknown: "hcaptcha success=false (invalid-input-response)",
    },
  },
  {
    name: "reCAPTCHA",
    embedKey: `recap:${RECAPTCHA_SITE}`,
    format: RECAPTCHA_TS,
    addSite: (a) => {
      a.recaptcha.sites[RECAPTCHA_SITE] = recaptchaSite(RECAPTCHA_SECRET);
    },
    params: (token) => ({ "recaptcha-site-key": RECAPTCHA_SITE, "recaptcha-token": token }),
    freshToken: () => sandbox.recaptchaToken(RECAPTCHA_SITE, { kind: "v3", action: "submit" }),
    reasons: {
      reused: "recaptcha success=false (timeout-or-duplicate)",
      unknown: "recaptcha success=false (invalid-input-response)",
    },
  },
];

/** The timestamp's layout with every digit the same: equal layouts, same format. */
const layout = (ts: string) => ts.replace(/\d/g, "0");

/** The one entry of a token's embed, under `key`, with the embed's own key list. */
function entryOf(token: string, key: string) {
  const embed = embedOf(token);
  return { embedKeys: Object.keys(embed), entry: embed[key] as Record<string, unknown> };
}

/** A decoy's embed (and claims) look like the valid token's, for `service`. */
function expectSameLook(valid: string, decoy: string, service: Service) {
  expect(Object.keys(decodeJwt(decoy))).toEqual(Object.keys(decodeJwt(valid)));
  const v = entryOf(valid, service.embedKey);
  const d = entryOf(decoy, service.embedKey);
  expect(v.embedKeys).toEqual([service.embedKey]);
  expect(d.embedKeys).toEqual(v.embedKeys);
  // Same keys in the same order: JSON key order is visible in the token too.
  expect(Object.keys(v.entry)).toEqual(["challenge_ts", "hostname"]);
  expect(Object.keys(d.entry)).toEqual(Object.keys(v.entry));
  expect(typeof d.entry.hostname).toBe("string");

  const validTs = String(v.entry.challenge_ts);
  const decoyTs = String(d.entry.challenge_ts);
  expect(validTs).toMatch(service.format);
  expect(decoyTs).toMatch(service.format);
  expect(layout(decoyTs)).toBe(layout(validTs));
  // A real time near the valid one, not a placeholder.
  expect(Math.abs(Date.parse(decoyTs) - Date.parse(validTs))).toBeLessThan(60_000);
}

async function newApp(service: Service): Promise<SdkTestApp> {
  return integrationApp(sandbox, { account: service.addSite });
}

describe.each(SERVICES)("$name decoys look like valid tokens", (service) => {
  describe.each(["attest", "token"] as const)("on POST /%s", (flow) => {
    it("a reused token's decoy: the valid token's embed keys and challenge_ts format", async () => {
      const test = await newApp(service);
      const params = service.params(await service.freshToken());
      const valid = (await issue(test, flow, params)).token;
      expect(await isValid(test, valid)).toBe(true);
      const decoy = (await issue(test, flow, params)).token;
      expect(await isValid(test, decoy)).toBe(false);
      // The answer was a failure, without a challenge_ts: attest filled it in.
      expect(test.logs.at(-1)).toMatchObject({
        outcome: "invalid",
        reason: service.reasons.reused,
      });
      expectSameLook(valid, decoy, service);
    });

    it("a never-issued token's decoy: the valid token's embed keys and challenge_ts format", async () => {
      const test = await newApp(service);
      const decoy = (await issue(test, flow, service.params("never-issued"))).token;
      expect(await isValid(test, decoy)).toBe(false);
      expect(test.logs.at(-1)).toMatchObject({
        outcome: "invalid",
        reason: service.reasons.unknown,
      });
      const valid = (await issue(test, flow, service.params(await service.freshToken()))).token;
      expect(await isValid(test, valid)).toBe(true);
      expectSameLook(valid, decoy, service);
    });
  });
});
