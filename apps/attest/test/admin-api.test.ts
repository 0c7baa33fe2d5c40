import {
  ADMIN_MAX_BODY_BYTES,
  HCAPTCHA_TEST_KEYS,
  HCAPTCHA_TEST_SECRET,
  LOCAL_FINGERPRINT_PUBLIC_KEY,
  LOCAL_RECAPTCHA_V3_SITE_KEY,
  MAX_APIS,
  RECAPTCHA_V2_TEST_KEYS,
} from "@shapes/protocol";
import { describe, expect, it } from "vitest";
import type { Account } from "../src/account/account.js";
import { adminCall, adminOk, connEnv, TEST_ADMIN_KEY, testApp } from "./helpers/test-app.js";

const PUBLISHER = HCAPTCHA_TEST_KEYS.publisher.siteKey;
const OWN_SECRET = "0x1111111111111111111111111111111111111111";

async function expectError(res: Response, status: number, error: string, field?: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  const body = await res.json();
  expect(body).toEqual(field === undefined ? { error } : { error, field });
}

describe("admin API: authentication", () => {
  it("refuses a missing key, a malformed header and a wrong key with 401", async () => {
    const { app, adminLogs } = testApp();
    await expectError(
      await adminCall(app, "GET", "/account", undefined, null),
      401,
      "admin key required",
    );
    const basic = await app.request(
      "/admin/v1/account",
      { headers: { authorization: `Basic ${TEST_ADMIN_KEY}` } },
      connEnv(),
    );
    await expectError(basic, 401, "admin key required");
    await expectError(
      await adminCall(app, "GET", "/account", undefined, `${TEST_ADMIN_KEY.slice(0, -1)}x`),
      401,
      "admin key not accepted",
    );
    // Unknown paths are refused the same way: nothing is learnt without the key.
    await expectError(
      await adminCall(app, "GET", "/nope", undefined, "wrong"),
      401,
      "admin key not accepted",
    );
    expect(adminLogs.map((l) => l.status)).toEqual([401, 401, 401, 401]);
    expect(JSON.stringify(adminLogs)).not.toContain(TEST_ADMIN_KEY);
  });

  it("accepts the key (bearer scheme case-insensitive) and refuses everything when none is set", async () => {
    const { app } = testApp();
    const res = await app.request(
      "/admin/v1/account",
      { headers: { authorization: `bearer ${TEST_ADMIN_KEY}` } },
      connEnv(),
    );
    expect(res.status).toBe(200);
    const { createApp } = await import("../src/http/app.js");
    const { createDefaultAccount } = await import("../src/account/account.js");
    const { DEFAULT_SETTINGS } = await import("../src/settings.js");
    const keyless = createApp({
      account: createDefaultAccount(),
      settings: DEFAULT_SETTINGS,
      adminLog: () => {},
    });
    await expectError(
      await adminCall(keyless, "GET", "/account", undefined, ""),
      401,
      "admin key required",
    );
    await expectError(await adminCall(keyless, "GET", "/account"), 401, "admin key not accepted");
  });

  it("has no CORS: no Access-Control-* header, preflights are refused", async () => {
    const { app } = testApp();
    const origin = "http://localhost:8000";
    const preflight = await app.request(
      "/admin/v1/account",
      {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "PUT" },
      },
      connEnv(),
    );
    expect(preflight.status).toBe(401);
    expect([...preflight.headers.keys()].filter((h) => h.startsWith("access-control"))).toEqual([]);
    const get = await app.request(
      "/admin/v1/account",
      { headers: { origin, authorization: `Bearer ${TEST_ADMIN_KEY}` } },
      connEnv(),
    );
    expect(get.status).toBe(200);
    expect(get.headers.get("access-control-allow-origin")).toBeNull();
    // The public endpoints keep their CORS.
    const attest = await app.request(
      "/attest",
      { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST" } },
      connEnv(),
    );
    expect(attest.headers.get("access-control-allow-origin")).toBe(origin);
  });
});

describe("admin API: bodies", () => {
  it("refuses bodies over 16 KiB with 413, non-JSON and non-objects with 400", async () => {
    const { app } = testApp();
    const big = { allowWeb: true, pad: "x".repeat(ADMIN_MAX_BODY_BYTES) };
    await expectError(
      await adminCall(app, "PUT", "/apis/big.example", big),
      413,
      "the body must be at most 16384 bytes",
    );
    const form = await app.request(
      "/admin/v1/apis/a.example",
      {
        method: "PUT",
        headers: {
          authorization: `Bearer ${TEST_ADMIN_KEY}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: "allowWeb=true",
      },
      connEnv(),
    );
    await expectError(form, 400, "the body must be JSON (Content-Type: application/json)");
    const broken = await app.request(
      "/admin/v1/apis/a.example",
      {
        method: "PUT",
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, "content-type": "application/json" },
        body: "{not json",
      },
      connEnv(),
    );
    await expectError(broken, 400, "the body is not valid JSON");
    await expectError(
      await adminCall(app, "PUT", "/apis/a.example", [1]),
      400,
      "the body must be a JSON object",
    );
    await expectError(
      await adminCall(app, "PUT", "/apis/a.example", { allowWeb: true, colour: 1 }),
      400,
      "colour is not a known field",
      "colour",
    );
  });
});

describe("admin API: GET /account", () => {
  it("answers the whole configuration in the contract's shape, without any secret", async () => {
    const { app, account } = testApp();
    const res = await adminCall(app, "GET", "/account");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const text = await res.text();
    const integrationSecrets = [
      ...Object.values(account.recaptcha.sites).map((site) => site.secret),
      ...Object.values(account.fingerprint.subscriptions).map((sub) => sub.secret),
    ];
    expect(integrationSecrets).toHaveLength(3);
    for (const secret of [
      account.secret,
      account.encryptionSecret,
      HCAPTCHA_TEST_SECRET,
      ...integrationSecrets,
    ]) {
      expect(text).not.toContain(secret);
    }
    const view = JSON.parse(text);
    expect(Object.keys(view).sort()).toEqual([
      "apis",
      "fingerprint",
      "hcaptcha",
      "recaptcha",
      "refreshTokenLifetimeSeconds",
      "siteKey",
      "tokenLifetimeSeconds",
      "turnstile",
    ]);
    expect(view.siteKey).toBe(account.siteKey);
    expect(view.apis).toEqual({ localhost: { allowWeb: true, jwe: false } });
    expect(view.hcaptcha.sites[PUBLISHER]).toEqual({
      domains: [],
      minScore: 0,
      includeIP: false,
      embedResult: false,
      maxResultLifetimeSeconds: 0,
      rateLimit: 0,
    });
    const recaptchaSite = {
      domains: [],
      includeIP: false,
      embedResult: false,
      maxResultLifetimeSeconds: 0,
      rateLimit: 0,
    };
    expect(view.recaptcha).toEqual({
      optional: true,
      sites: {
        [RECAPTCHA_V2_TEST_KEYS.siteKey]: { ...recaptchaSite, minScore: 0, actions: [] },
        [LOCAL_RECAPTCHA_V3_SITE_KEY]: { ...recaptchaSite, minScore: 0.5, actions: ["submit"] },
      },
    });
    expect(view.fingerprint).toEqual({
      optional: true,
      subscriptions: {
        [LOCAL_FINGERPRINT_PUBLIC_KEY]: {
          region: "RoW",
          maxElapsedTimeSeconds: 2,
          maxBotProbability: 1,
          embedResult: false,
          maxResultLifetimeSeconds: 0,
          rateLimit: 0,
        },
      },
    });
  });
});

describe("admin API: /apis", () => {
  it("adds (lower-cased), overwrites the whole entry, and removes an API", async () => {
    const { app, store } = testApp();
    expect(
      await adminOk(app, "PUT", "/apis/API.Shapes.Example:8443", { allowWeb: true, jwe: true }),
    ).toEqual({
      domain: "api.shapes.example:8443",
      allowWeb: true,
      jwe: true,
      alg: "HS256",
      enc: "A256GCMKW",
    });
    expect(store.get().account.apis["api.shapes.example:8443"]).toEqual({
      allowWeb: true,
      jwe: true,
    });
    // Adding again without flags overwrites: web access and encryption are off.
    expect(await adminOk(app, "PUT", "/apis/api.shapes.example:8443", {})).toEqual({
      domain: "api.shapes.example:8443",
      allowWeb: false,
      jwe: false,
      alg: "HS256",
    });
    expect(await adminOk(app, "DELETE", "/apis/api.shapes.example:8443")).toEqual({
      domain: "api.shapes.example:8443",
    });
    expect(Object.keys(store.get().account.apis)).toEqual(["localhost"]);
    await expectError(
      await adminCall(app, "DELETE", "/apis/api.shapes.example:8443"),
      404,
      'api "api.shapes.example:8443" not found',
    );
  });

  it("validates the domain and the flags, naming the field", async () => {
    const { app, store } = testApp();
    const before = store.get();
    for (const bad of [
      "https%3A%2F%2Fx.example",
      "a_b.example",
      "x.example:0",
      "x.example:70000",
      "-x.example",
    ]) {
      await expectError(
        await adminCall(app, "PUT", `/apis/${bad}`, { allowWeb: true }),
        400,
        "domain must be a host name (letters, digits, dots, hyphens) with an optional :port",
        "domain",
      );
    }
    await expectError(
      await adminCall(app, "PUT", "/apis/x.example", { allowWeb: "yes" }),
      400,
      "allowWeb must be true or false",
      "allowWeb",
    );
    expect(store.get()).toBe(before);
  });

  it("answers 409 past the most APIs an account may have", async () => {
    const { app } = testApp({
      account: (a) => {
        for (let i = 1; i < MAX_APIS; i++)
          a.apis[`api${i}.example`] = { allowWeb: true, jwe: false };
      },
    });
    await expectError(
      await adminCall(app, "PUT", "/apis/one-more.example", { allowWeb: true }),
      409,
      `the account already has the most APIs allowed (${MAX_APIS})`,
    );
    // Overwriting an existing one is still fine.
    await adminOk(app, "PUT", "/apis/api1.example", { allowWeb: false });
  });
});

describe("admin API: /web", () => {
  it("adds an hCaptcha site with defaults for omitted fields and answers it without the secret", async () => {
    const { app, store } = testApp();
    const answer = await adminOk(app, "PUT", "/web/hcaptcha/own-site", {
      secret: OWN_SECRET,
      domains: ["Shapes.Example"],
      minScore: 0.25,
    });
    expect(answer).toEqual({
      domains: ["shapes.example"],
      minScore: 0.25,
      includeIP: false,
      embedResult: false,
      maxResultLifetimeSeconds: 0,
      rateLimit: 0,
    });
    expect(store.get().account.hcaptcha.sites["own-site"]?.secret).toBe(OWN_SECRET);
    // A second addition overwrites everything: the domains and score are gone.
    await adminOk(app, "PUT", "/web/hcaptcha/own-site", { secret: OWN_SECRET, rateLimit: 5 });
    expect(store.get().account.hcaptcha.sites["own-site"]).toEqual({
      secret: OWN_SECRET,
      domains: [],
      minScore: 0,
      includeIP: false,
      embedResult: false,
      maxResultLifetimeSeconds: 0,
      rateLimit: 5,
    });
  });

  it("adds reCAPTCHA sites and Fingerprint subscriptions with their own fields", async () => {
    const { app, store } = testApp();
    expect(
      await adminOk(app, "PUT", "/web/recaptcha/6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI", {
        secret: OWN_SECRET,
        actions: ["login", "login"],
        embedResult: true,
      }),
    ).toEqual({
      domains: [],
      actions: ["login"],
      minScore: 0,
      includeIP: false,
      embedResult: true,
      maxResultLifetimeSeconds: 0,
      rateLimit: 0,
    });
    expect(
      await adminOk(app, "PUT", "/web/fingerprint/pubKey123", {
        secret: OWN_SECRET,
        region: "EU",
        maxElapsedTimeSeconds: 1.5,
      }),
    ).toEqual({
      region: "EU",
      maxElapsedTimeSeconds: 1.5,
      maxBotProbability: 1,
      embedResult: false,
      maxResultLifetimeSeconds: 0,
      rateLimit: 0,
    });
    const { account } = store.get();
    expect(account.fingerprint.subscriptions.pubKey123?.secret).toBe(OWN_SECRET);
    const view = await adminOk<{ fingerprint: { subscriptions: Record<string, object> } }>(
      app,
      "GET",
      "/account",
    );
    expect(view.fingerprint.subscriptions.pubKey123).toMatchObject({ region: "EU" });
    expect(JSON.stringify(view)).not.toContain(OWN_SECRET);
  });

  it("names the bad field and the rule of every entry property", async () => {
    const { app, store } = testApp();
    const before = store.get();
    const cases: [string, Record<string, unknown>, string, string][] = [
      [
        "hcaptcha",
        {},
        "secret",
        "secret must be 1 to 1024 printable ASCII characters without spaces",
      ],
      [
        "hcaptcha",
        { secret: "has space" },
        "secret",
        "secret must be 1 to 1024 printable ASCII characters without spaces",
      ],
      [
        "hcaptcha",
        { secret: OWN_SECRET, minScore: 2 },
        "minScore",
        "minScore must be a number between 0 and 1",
      ],
      [
        "hcaptcha",
        { secret: OWN_SECRET, domains: ["a b"] },
        "domains",
        "domains must be a list of host names (at most 50)",
      ],
      [
        "hcaptcha",
        { secret: OWN_SECRET, rateLimit: 1.5 },
        "rateLimit",
        "rateLimit must be a whole number between 0 and 1000000",
      ],
      ["hcaptcha", { secret: OWN_SECRET, actions: [] }, "actions", "actions is not a known field"],
      [
        "recaptcha",
        { secret: OWN_SECRET, actions: "login" },
        "actions",
        "actions must be a list of at most 50 texts of 1 to 100 characters",
      ],
      ["fingerprint", { secret: OWN_SECRET, region: "US" }, "region", "region must be RoW or EU"],
      [
        "fingerprint",
        { secret: OWN_SECRET, maxElapsedTimeSeconds: 0 },
        "maxElapsedTimeSeconds",
        "maxElapsedTimeSeconds must be a number of seconds greater than 0 and at most 3600",
      ],
      [
        "fingerprint",
        { secret: OWN_SECRET, maxBotProbability: -0.1 },
        "maxBotProbability",
        "maxBotProbability must be a number between 0 and 1",
      ],
      [
        "fingerprint",
        { secret: OWN_SECRET, domains: [] },
        "domains",
        "domains is not a known field",
      ],
    ];
    for (const [integration, body, field, error] of cases) {
      await expectError(
        await adminCall(app, "PUT", `/web/${integration}/k1`, body),
        400,
        error,
        field,
      );
    }
    await expectError(
      await adminCall(app, "PUT", "/web/hcaptcha/bad%20key", { secret: OWN_SECRET }),
      400,
      'key must be 1 to 256 letters, digits, ".", "_", "~" or "-"',
      "key",
    );
    await expectError(
      await adminCall(app, "PUT", "/web/altcha/k1", { secret: OWN_SECRET }),
      404,
      "unknown integration: use hcaptcha, recaptcha, fingerprint or turnstile",
    );
    expect(store.get()).toBe(before);
  });

  it("removes sites (404 when unknown) and sets an integration optional or required", async () => {
    const { app, store } = testApp();
    expect(await adminOk(app, "DELETE", `/web/hcaptcha/${PUBLISHER}`)).toEqual({
      integration: "hcaptcha",
      key: PUBLISHER,
    });
    expect(Object.hasOwn(store.get().account.hcaptcha.sites, PUBLISHER)).toBe(false);
    await expectError(
      await adminCall(app, "DELETE", `/web/hcaptcha/${PUBLISHER}`),
      404,
      `hcaptcha site "${PUBLISHER}" not found`,
    );
    await expectError(
      await adminCall(app, "DELETE", "/web/fingerprint/nope"),
      404,
      'fingerprint subscription "nope" not found',
    );
    await expectError(
      await adminCall(app, "DELETE", "/web/hcaptcha/optional"),
      400,
      'key "optional" is reserved by the admin API',
      "key",
    );
    expect(await adminOk(app, "PUT", "/web/hcaptcha/optional", { optional: false })).toEqual({
      integration: "hcaptcha",
      optional: false,
    });
    expect(store.get().account.hcaptcha.optional).toBe(false);
    await adminOk(app, "PUT", "/web/fingerprint/optional", { optional: false });
    expect(store.get().account.fingerprint.optional).toBe(false);
    await expectError(
      await adminCall(app, "PUT", "/web/hcaptcha/optional", {}),
      400,
      "optional must be true or false",
      "optional",
    );
  });

  it("sets the lifetimes within their ranges", async () => {
    const { app, store } = testApp();
    expect(await adminOk(app, "PUT", "/web/lifetimes", { tokenLifetimeSeconds: 30 })).toEqual({
      tokenLifetimeSeconds: 30,
      refreshTokenLifetimeSeconds: 7200,
    });
    expect(
      await adminOk(app, "PUT", "/web/lifetimes", { refreshTokenLifetimeSeconds: 2_592_000 }),
    ).toEqual({ tokenLifetimeSeconds: 30, refreshTokenLifetimeSeconds: 2_592_000 });
    expect(store.get().account.tokenLifetimeSeconds).toBe(30);
    await expectError(
      await adminCall(app, "PUT", "/web/lifetimes", { tokenLifetimeSeconds: 86_401 }),
      400,
      "tokenLifetimeSeconds must be a whole number between 1 and 86400",
      "tokenLifetimeSeconds",
    );
    await expectError(
      await adminCall(app, "PUT", "/web/lifetimes", { refreshTokenLifetimeSeconds: 0 }),
      400,
      "refreshTokenLifetimeSeconds must be a whole number between 1 and 2592000",
      "refreshTokenLifetimeSeconds",
    );
  });

  it("answers unknown admin paths 404 in the admin error shape", async () => {
    const { app } = testApp();
    await expectError(
      await adminCall(app, "GET", "/metrics/nope"),
      404,
      "no admin endpoint GET /admin/v1/metrics/nope",
    );
    await expectError(
      await adminCall(app, "GET", "/apis/x.example"),
      404,
      "no admin endpoint GET /admin/v1/apis/x.example",
    );
  });
});

describe("admin API: changes are saved before the answer", () => {
  it("persists each change (what was saved is what is current) and keeps the order of changes", async () => {
    const saved: Account[] = [];
    const { app, store } = testApp({
      persist: async (account) => {
        saved.push(account);
      },
    });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        adminOk(app, "PUT", `/apis/api${i}.example`, { allowWeb: true }),
      ),
    );
    expect(saved).toHaveLength(20);
    // Serialised: each saved version holds every earlier change.
    saved.forEach((account, index) => {
      expect(Object.keys(account.apis)).toHaveLength(index + 2);
    });
    expect(store.get().account).toBe(saved.at(-1));
  });

  it("a failed save answers 500, changes nothing and leaks no detail", async () => {
    let fail = true;
    const { app, store, lines } = testApp({
      persist: async () => {
        if (fail) throw Object.assign(new Error("/secret/path: disk full"), { code: "ENOSPC" });
      },
    });
    const before = store.get();
    const res = await adminCall(app, "PUT", "/apis/x.example", { allowWeb: true });
    await expectError(res, 500, "the change could not be saved; nothing changed");
    // Logged as one structured error line of that request, without the path or message.
    expect(lines.filter((line) => line.level === "error")).toEqual([
      {
        time: expect.any(String),
        level: "error",
        msg: "admin change not saved",
        requestId: res.headers.get("x-request-id"),
        error: "the account could not be saved (ENOSPC)",
      },
    ]);
    expect(store.get()).toBe(before);
    fail = false;
    await adminOk(app, "PUT", "/apis/x.example", { allowWeb: true });
    expect(store.get().account.apis["x.example"]).toEqual({ allowWeb: true, jwe: false });
  });
});
