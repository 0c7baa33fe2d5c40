import { randomBytes } from "node:crypto";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../src/account/account.js";
import { newFingerprintSandboxSecret } from "../src/integrations/fingerprint/demo-secret.js";
import { newRecaptchaSandboxSecret } from "../src/integrations/recaptcha/demo-secret.js";
import type { Flow } from "./helpers/error-codes.js";
import {
  embedOf,
  fingerprintSubscription,
  integrationApp,
  issue,
  isValid,
  type Params,
  recaptchaSite,
} from "./helpers/integration-setup.js";
import { type SdkTestApp, SECOND_API, siteConfig } from "./helpers/sdk-setup.js";
import { type RunningSandbox, startSandbox } from "./helpers/start-sandbox.js";

/**
 * A failed siteverify answer has no challenge_ts and no hostname, so attest fills them in for
 * the decoy. The decoy must not stand out: its embed has the keys of a valid token's embed, in
 * the same order, a challenge_ts written the way that service writes it (hCaptcha keeps the
 * milliseconds, reCAPTCHA drops them), and a non-empty hostname in the form that service
 * reports the page's host (hCaptcha: the registrable root; reCAPTCHA: the full host), all
 * compared with what the real sandbox answers for a valid token.
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
  addSite(account: Account, domains?: string[]): void;
  params(token: string): Params;
  /** A fresh single-use token from the sandbox, as the browser widget gets one on `page`. */
  freshToken(page?: string): Promise<string>;
  /** The hostname this service reports for a page on `www.shapes.example`. */
  wwwReported: string;
  /** The decision log reasons of a reused and of a never-issued token. */
  reasons: { reused: string; unknown: string };
}

const SERVICES: Service[] = [
  {
    name: "hCaptcha",
    embedKey: `hcap:${HCAPTCHA_SITE}`,
    format: HCAPTCHA_TS,
    addSite: (a, domains = []) => {
      a.hcaptcha.sites[HCAPTCHA_SITE] = siteConfig({ secret: HCAPTCHA_SECRET, domains });
    },
    params: (token) => ({ "hcaptcha-site-key": HCAPTCHA_SITE, "hcaptcha-token": token }),
    freshToken: async (page = "localhost") => (await sandbox.execute(HCAPTCHA_SITE, page)).response,
    wwwReported: "shapes.example",
    reasons: {
      reused: "hcaptcha success=false (already-seen-response)",
      unknown: "hcaptcha success=false (invalid-input-response)",
    },
  },
  {
    name: "reCAPTCHA",
    embedKey: `recap:${RECAPTCHA_SITE}`,
    format: RECAPTCHA_TS,
    addSite: (a, domains = []) => {
      a.recaptcha.sites[RECAPTCHA_SITE] = recaptchaSite(RECAPTCHA_SECRET, { domains });
    },
    params: (token) => ({ "recaptcha-site-key": RECAPTCHA_SITE, "recaptcha-token": token }),
    freshToken: (page = "localhost") =>
      sandbox.recaptchaToken(RECAPTCHA_SITE, { kind: "v3", action: "submit", host: page }),
    wwwReported: "www.shapes.example",
    reasons: {
      reused: "recaptcha success=false (timeout-or-duplicate)",
      unknown: "recaptcha success=false (invalid-input-response)",
    },
  },
];

/** A host name or IP as siteverify reports it: lower-case, never empty. */
const HOSTNAME =
  /^(?:[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*|\[[0-9a-f:.]+\])$/;

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
  // A valid token always names a host; a decoy must too, the same host for the same page.
  expect(v.entry.hostname).toMatch(HOSTNAME);
  expect(d.entry.hostname).toMatch(HOSTNAME);
  expect(d.entry.hostname).toBe(v.entry.hostname);

  const validTs = String(v.entry.challenge_ts);
  const decoyTs = String(d.entry.challenge_ts);
  expect(validTs).toMatch(service.format);
  expect(decoyTs).toMatch(service.format);
  expect(layout(decoyTs)).toBe(layout(validTs));
  // A real time near the valid one, not a placeholder.
  expect(Math.abs(Date.parse(decoyTs) - Date.parse(validTs))).toBeLessThan(60_000);
}

async function newApp(service: Service, domains: string[] = []): Promise<SdkTestApp> {
  return integrationApp(sandbox, { account: (a) => service.addSite(a, domains) });
}

/** The hostname of `service`'s entry in a token's embed. */
const hostnameOf = (token: string, service: Service) =>
  entryOf(token, service.embedKey).entry.hostname;

/** A never-issued token's decoy (checked to be one) on `flow`, for `apis`, with `headers`. */
async function neverIssuedDecoy(
  test: SdkTestApp,
  service: Service,
  flow: Exclude<Flow, "refresh">,
  options: { apis?: string[]; headers?: Record<string, string>; params?: Params } = {},
): Promise<string> {
  const params = { ...service.params("never-issued"), ...options.params };
  const decoy = (await issue(test, flow, params, options.apis, options.headers)).token;
  expect(await isValid(test, decoy)).toBe(false);
  expect(test.logs.at(-1)).toMatchObject({ outcome: "invalid", reason: service.reasons.unknown });
  return decoy;
}

/** A valid token for a real widget token from `page` (checked to be valid). */
async function validFrom(
  test: SdkTestApp,
  service: Service,
  flow: Exclude<Flow, "refresh">,
  page: string,
  headers: Record<string, string> = {},
): Promise<string> {
  const valid = (
    await issue(test, flow, service.params(await service.freshToken(page)), undefined, headers)
  ).token;
  expect(await isValid(test, valid)).toBe(true);
  return valid;
}

const WWW_PAGE = "www.shapes.example";
const WWW_ORIGIN = { origin: `https://${WWW_PAGE}:8443` };

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

    it("with an Origin header: the decoy names the page's host as the service reports it", async () => {
      const test = await newApp(service);
      const decoy = await neverIssuedDecoy(test, service, flow, { headers: WWW_ORIGIN });
      const valid = await validFrom(test, service, flow, WWW_PAGE, WWW_ORIGIN);
      expect(hostnameOf(valid, service)).toBe(service.wwwReported);
      expectSameLook(valid, decoy, service);
    });

    it("without Origin, the Referer's host; an unusable Origin is passed over", async () => {
      const test = await newApp(service);
      const referer = { referer: `https://${WWW_PAGE}/shapes/?variant=1#top` };
      const fromReferer = await neverIssuedDecoy(test, service, flow, { headers: referer });
      const opaque = await neverIssuedDecoy(test, service, flow, {
        headers: { origin: "null", ...referer },
      });
      const valid = await validFrom(test, service, flow, WWW_PAGE);
      expectSameLook(valid, fromReferer, service);
      expectSameLook(valid, opaque, service);
    });

    it("bad Origin and Referer values are never echoed: the first API domain instead", async () => {
      const test = await newApp(service);
      const apis = [SECOND_API, "localhost"];
      for (const headers of [
        { origin: "https://evil$.example", referer: "javascript:alert(1)" },
        { origin: "http://-x-.example", referer: `https://${"a".repeat(64)}.example/` },
        { origin: "file:///etc/passwd", referer: `https://${WWW_PAGE}/${"p".repeat(4096)}` },
      ]) {
        const decoy = await neverIssuedDecoy(test, service, flow, { apis, headers });
        // api.shapes.example as that service would report a page on it.
        const expected = service.name === "hCaptcha" ? "shapes.example" : SECOND_API;
        expect(hostnameOf(decoy, service)).toBe(expected);
      }
    });

    it("without Origin or Referer, the site's first domain (what valid tokens name)", async () => {
      const test = await newApp(service, [service.wwwReported, "other.example"]);
      const decoy = await neverIssuedDecoy(test, service, flow);
      const valid = await validFrom(test, service, flow, WWW_PAGE);
      expectSameLook(valid, decoy, service);
    });

    it("a valid token keeps exactly the upstream's hostname, whatever the Origin says", async () => {
      const test = await newApp(service);
      const valid = await validFrom(test, service, flow, "localhost", WWW_ORIGIN);
      expect(hostnameOf(valid, service)).toBe("localhost");
    });

    it("a failed answer that names a host keeps it, whatever the Origin says", async () => {
      // The site allows another domain only: siteverify succeeds, the site's rule fails it.
      const test = await newApp(service, ["other.example"]);
      const params = service.params(await service.freshToken("localhost"));
      const decoy = (await issue(test, flow, params, undefined, WWW_ORIGIN)).token;
      expect(await isValid(test, decoy)).toBe(false);
      expect(test.logs.at(-1)?.reason).toMatch(/hostname not allowed/);
      expect(hostnameOf(decoy, service)).toBe("localhost");
    });
  });
});

describe("hCaptcha decoys on /token with hcaptcha-host", () => {
  const service = SERVICES[0] as Service;

  it("name the host the SDK reported before the page's Origin", async () => {
    const test = await newApp(service);
    const decoy = await neverIssuedDecoy(test, service, "token", {
      headers: { origin: "https://www.elsewhere.example" },
      params: { "hcaptcha-host": WWW_PAGE.replace("www.", "") },
    });
    const valid = await validFrom(test, service, "token", WWW_PAGE);
    expectSameLook(valid, decoy, service);
  });
});

/**
 * Fingerprint decoys embed the visitor and request ids the browser sent (never the event's):
 * the same structure as a valid token's, nothing empty or missing, for every way to fail.
 */
describe.each(["attest", "token"] as const)("Fingerprint decoys on POST /%s", (flow) => {
  const FP_KEY = "decoy-format-fingerprint-key";
  const fpParams = (visitorId: string, requestId: string): Params => ({
    "fingerprint-public-api-key": FP_KEY,
    "fingerprint-visitor-id": visitorId,
    "fingerprint-request-id": requestId,
  });
  /** The embed entry's shape: its keys, the visits' keys, and every leaf non-empty. */
  const shapeOf = (token: string) => {
    const entry = embedOf(token)[`fp:${FP_KEY}`] as { visitorId: unknown; visits: unknown[] };
    const visits = entry.visits as Record<string, unknown>[];
    for (const value of [entry.visitorId, ...visits.flatMap((v) => Object.values(v))]) {
      expect(typeof value).toBe("string");
      expect(value).not.toBe("");
    }
    return {
      claims: Object.keys(decodeJwt(token)),
      embed: Object.keys(embedOf(token)),
      entry: Object.keys(entry),
      visits: visits.map((v) => Object.keys(v)),
    };
  };

  it("unknown request id, visitor mismatch, replay: the valid token's embed shape", async () => {
    const test = await integrationApp(sandbox, {
      account: (a) => {
        a.fingerprint.subscriptions[FP_KEY] = fingerprintSubscription(
          newFingerprintSandboxSecret(),
        );
      },
    });
    const id = await sandbox.identify(FP_KEY);
    const valid = (await issue(test, flow, fpParams(id.visitorId, id.requestId))).token;
    expect(await isValid(test, valid)).toBe(true);
    const other = await sandbox.identify(FP_KEY);
    const decoys = [
      [fpParams(id.visitorId, "1700000000000.unknwn"), "fingerprint request id not found"],
      [fpParams(id.visitorId, other.requestId), "fingerprint visitor id mismatch"],
      [fpParams(id.visitorId, id.requestId), "fingerprint request replayed"],
    ] as const;
    for (const [params, reason] of decoys) {
      const decoy = (await issue(test, flow, params)).token;
      expect(await isValid(test, decoy)).toBe(false);
      expect(test.logs.at(-1)).toMatchObject({ outcome: "invalid", reason });
      expect(shapeOf(decoy)).toEqual(shapeOf(valid));
    }
  });
});
