import { randomBytes } from "node:crypto";
import { LOCAL_FINGERPRINT_PUBLIC_KEY } from "@shapes/protocol";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { newFingerprintSandboxSecret } from "../src/integrations/fingerprint/demo-secret.js";
import type { FingerprintSubscriptionConfig } from "../src/integrations/fingerprint/subscription.js";
import { expectErrorAnswer } from "./helpers/error-codes.js";
import {
  decryptToken,
  embedOf,
  fingerprintSubscription,
  integrationApp,
  issue,
  isValid,
  JWE_API,
  type Params,
  send,
} from "./helpers/integration-setup.js";
import type { SdkTestApp } from "./helpers/sdk-setup.js";
import { type Identification, type RunningSandbox, startSandbox } from "./helpers/start-sandbox.js";

/**
 * Fingerprint in both flows, against the real sandbox: identifications made as the agent
 * makes them, looked up by attest with the Server API v3 of the subscription's region.
 */

const OWN = "attest-test-public-key";
const KEY = `fp:${OWN}`;

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.stop());
afterEach(() => sandbox.clearFaults());

/** An app whose account has the OWN subscription with `changes` (fresh secret each). */
const app = (changes: Partial<FingerprintSubscriptionConfig> = {}) =>
  integrationApp(sandbox, {
    account: (a) => {
      a.fingerprint.subscriptions[OWN] = fingerprintSubscription(
        newFingerprintSandboxSecret(),
        changes,
      );
    },
  });

const params = (id: Identification, publicKey = OWN): Params => ({
  "fingerprint-public-api-key": publicKey,
  "fingerprint-visitor-id": id.visitorId,
  "fingerprint-request-id": id.requestId,
});

const identify = (options: Parameters<RunningSandbox["identify"]>[1] = {}) =>
  sandbox.identify(OWN, options);

async function valid(test: SdkTestApp, flow: "attest" | "token", p: Params): Promise<boolean> {
  return isValid(test, (await issue(test, flow, p)).token);
}

describe.each(["attest", "token"] as const)("Fingerprint on POST /%s", (flow) => {
  it("a fresh identification passes; the token embeds the seed's default shape", async () => {
    const test = await app();
    const id = await identify();
    const { token, expiries } = await issue(test, flow, params(id));
    expect(await isValid(test, token)).toBe(true);
    expect(embedOf(token)).toEqual({
      [KEY]: { visitorId: id.visitorId, visits: [{ requestId: id.requestId }] },
    });
    if (flow === "token") expect(Object.keys(expiries ?? {}).sort()).toEqual([KEY, "session"]);
    expect(test.logs.at(-1)).toMatchObject({ msg: flow, outcome: "valid" });
  });

  it("the local subscription of the default account passes", async () => {
    const test = await app();
    const id = await sandbox.identify(LOCAL_FINGERPRINT_PUBLIC_KEY);
    expect(await valid(test, flow, params(id, LOCAL_FINGERPRINT_PUBLIC_KEY))).toBe(true);
  });

  it("a visitor id that is not the request's: decoy, embedding the sender's ids only", async () => {
    const test = await app();
    const id = await identify();
    const claimed = { ...id, visitorId: "someoneElse000000000" };
    const { token } = await issue(test, flow, params(claimed));
    expect(await isValid(test, token)).toBe(false);
    expect(embedOf(token)).toEqual({
      [KEY]: { visitorId: claimed.visitorId, visits: [{ requestId: id.requestId }] },
    });
    expect(test.logs.at(-1)).toMatchObject({
      outcome: "invalid",
      reason: "fingerprint visitor id mismatch",
    });
  });

  it("a request id used twice is a replay: the second is a decoy", async () => {
    const test = await app();
    const id = await identify();
    expect(await valid(test, flow, params(id))).toBe(true);
    expect(await valid(test, flow, params(id))).toBe(false);
    expect(test.logs.at(-1)).toMatchObject({ reason: "fingerprint request replayed" });
  });

  it("an unknown request id (404 RequestNotFound) is a decoy, not an error", async () => {
    const test = await app();
    const id = await identify();
    expect(await valid(test, flow, params({ ...id, requestId: "1700000000000.nope00" }))).toBe(
      false,
    );
    expect(test.logs.at(-1)).toMatchObject({ reason: "fingerprint request id not found" });
  });

  it("region: the subscription's region API is asked; another region's event is unknown", async () => {
    const eu = await app({ region: "EU" });
    expect(await valid(eu, flow, params(await identify({ region: "eu" })))).toBe(true);
    expect(await valid(eu, flow, params(await identify({ region: "us" })))).toBe(false);
    const row = await app({ region: "RoW" });
    expect(await valid(row, flow, params(await identify({ region: "eu" })))).toBe(false);
  });

  it("maxElapsedTimeSeconds: an older result is a decoy (default 2 s, fractional allowed)", async () => {
    const test = await app();
    const id = await identify();
    test.clock.advance(2.5);
    expect(await valid(test, flow, params(id))).toBe(false);
    expect(test.logs.at(-1)).toMatchObject({ reason: "fingerprint max elapsed time" });

    const patient = await app({ maxElapsedTimeSeconds: 5 });
    const later = await identify();
    patient.clock.advance(2.5);
    expect(await valid(patient, flow, params(later))).toBe(true);

    const strict = await app({ maxElapsedTimeSeconds: 0.5 });
    const soon = await identify();
    strict.clock.advance(1);
    expect(await valid(strict, flow, params(soon))).toBe(false);
  });

  it("maxBotProbability: a bad bot (probability 1) is refused below 1, a good bot is 0", async () => {
    const browserId = randomBytes(16).toString("base64url");
    const { visitorId } = await identify({ browserId });
    const strict = await app({ maxBotProbability: 0.5 });
    const lenient = await app();

    await sandbox.control("fingerprint/bot", { visitorId, result: "bad" });
    expect(await valid(strict, flow, params(await identify({ browserId })))).toBe(false);
    expect(strict.logs.at(-1)).toMatchObject({ reason: "fingerprint max bot probability" });
    expect(await valid(lenient, flow, params(await identify({ browserId })))).toBe(true);

    await sandbox.control("fingerprint/bot", { visitorId, result: "good" });
    const zero = await app({ maxBotProbability: 0 });
    expect(await valid(zero, flow, params(await identify({ browserId })))).toBe(true);
  });

  it("embedResult: a JWE API's token carries the seed's full shape, a JWS only the ids", async () => {
    const test = await app({ embedResult: true });
    const id = await identify({ url: "http://localhost:8000/fingerprint/" });
    const { token } = await issue(test, flow, params(id), [JWE_API]);
    const claims = await decryptToken(test, token);
    expect(claims.embed).toEqual({
      [KEY]: {
        visitorId: id.visitorId,
        visits: [
          {
            requestId: id.requestId,
            browserDetails: {
              browserName: "Chrome",
              browserMajorVersion: "124",
              browserFullVersion: expect.any(String),
              os: "Linux",
              osVersion: expect.any(String),
              device: "Other",
              userAgent: expect.stringContaining("Chrome/124"),
              botProbability: 0,
            },
            incognito: false,
            ip: "127.0.0.1",
            ipLocation: expect.objectContaining({ timezone: "Etc/UTC" }),
            time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
            timestamp: expect.any(Number),
            url: "http://localhost:8000/fingerprint/",
            tag: {},
          },
        ],
      },
    });
    const jws = await issue(test, flow, params(await identify()), ["localhost"]);
    expect(await isValid(test, jws.token)).toBe(true);
    expect(Object.keys((embedOf(jws.token)[KEY] ?? {}) as object).sort()).toEqual([
      "visitorId",
      "visits",
    ]);
  });

  it("rateLimit: requests per minute per public key, before the lookup: 429", async () => {
    const test = await app({ rateLimit: 1 });
    const first = await identify();
    expect(await valid(test, flow, params(first))).toBe(true);
    const second = await identify();
    const over = await send(test, flow, params(second));
    const body = await expectErrorAnswer(over, flow, 429, ["fp-tok-check"]);
    expect(body.errors).toEqual({
      "fp-tok-check": "rate limit of 1 requests per minute exceeded",
    });
    expect(over.headers.get("retry-after")).toBe("60");
    // Refused before the lookup: the identification is still unused elsewhere.
    expect(await valid(await app(), flow, params(second))).toBe(true);
  });

  /** A fresh identification sent to `test`: 502 fp-tok-check with `detail`, no token. */
  async function expectLookupError(test: SdkTestApp, detail: string): Promise<void> {
    const res = await send(test, flow, params(await identify()));
    const body = await expectErrorAnswer(res, flow, 502, ["fp-tok-check"]);
    expect(body.errors).toEqual({ "fp-tok-check": detail });
  }

  it("a secret the Server API refuses (403): 502 fp-tok-check, no token", async () => {
    const test = await integrationApp(sandbox, {
      account: (a) => {
        a.fingerprint.subscriptions[OWN] = fingerprintSubscription("too-short");
      },
    });
    await expectLookupError(test, "Fingerprint: secret key not accepted (TokenNotFound)");
  });

  it("the Server API's rate limit (429): 502 fp-tok-check with its Retry-After", async () => {
    const test = await app();
    await sandbox.control("faults", { target: "fingerprint-api", mode: "status", status: 429 });
    await expectLookupError(test, "Fingerprint: rate limited (TooManyRequests), retry after 1 s");
  });
});

describe("Fingerprint subscription lifetime on POST /token", () => {
  it("maxResultLifetimeSeconds: the result's expiry, and the session ends with it", async () => {
    const test = await app({ maxResultLifetimeSeconds: 90 });
    const iat = Math.floor(test.clock.ms / 1000);
    const { expiries } = await issue(test, "token", params(await identify()));
    const end = expiries?.session ?? 0;
    expect(expiries).toEqual({ session: end, [KEY]: end });
    expect(end - iat * 1000).toBeGreaterThanOrEqual(90_000);
    expect(end - iat * 1000).toBeLessThanOrEqual(91_000);
  });
});
