import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { browserDetails } from "../src/fingerprint/user-agent.js";
import { control, FP_SECRET, fpApi, identify } from "./helpers.js";

const CHROME_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.91 Safari/537.36";

/** An in-process request's env as @hono/node-server would give it, for the client IP. */
const fromIp = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });

// biome-ignore lint/suspicious/noExplicitAny: answers are read as loose JSON and asserted on.
type Json = Record<string, any>;

describe("POST /fingerprint/identify (what the agent's get() calls)", () => {
  it("gives a stable 20-character visitorId per (publicKey, browserId) and fresh request ids", async () => {
    const clock = 1_700_000_000_000;
    const app = createApp({ now: () => clock });
    const first = await identify(app);
    expect(first).toEqual({
      visitorId: expect.stringMatching(/^[A-Za-z0-9]{20}$/),
      requestId: expect.stringMatching(/^1700000000000\.[A-Za-z0-9]{6}$/),
      confidence: { score: 1 },
      visitorFound: false,
    });
    const second = await identify(app);
    expect(second.visitorId).toBe(first.visitorId);
    expect(second.requestId).not.toBe(first.requestId);
    expect(second.visitorFound).toBe(true);

    const otherBrowser = await identify(app, { browserId: "another-browser-0123" });
    const otherKey = await identify(app, { publicKey: "AnotherPublicKey0000" });
    expect(otherBrowser.visitorId).not.toBe(first.visitorId);
    expect(otherKey.visitorId).not.toBe(first.visitorId);
    expect(otherBrowser.visitorFound).toBe(false);
  });

  it("derives visitor ids with the process key: same key, same id; another key, another id", async () => {
    const key = new Uint8Array(32).fill(7);
    const a = await identify(createApp({ visitorIdKey: key }));
    const b = await identify(createApp({ visitorIdKey: key }));
    const c = await identify(createApp({ visitorIdKey: new Uint8Array(32).fill(8) }));
    expect(a.visitorId).toBe(b.visitorId);
    expect(c.visitorId).not.toBe(a.visitorId);
  });

  it("answers CORS * for the agent and its preflight", async () => {
    const app = createApp();
    const preflight = await app.request("/fingerprint/identify", {
      method: "OPTIONS",
      headers: {
        Origin: "http://localhost:8000",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
  });

  it.each([
    ["no publicKey", { publicKey: undefined }, "invalid-public-key"],
    ["a bad region", { region: "mars" }, "invalid-region"],
    ["a short browserId", { browserId: "short" }, "invalid-browser-id"],
    ["a relative url", { url: "/page" }, "invalid-url"],
    ["a javascript: url", { url: "javascript:alert(1)" }, "invalid-url"],
    ["a long url", { url: `http://x.io/${"a".repeat(2100)}` }, "invalid-url"],
    ["no userAgent", { userAgent: undefined }, "invalid-user-agent"],
    ["an array tag", { tag: [1] }, "invalid-tag"],
    ["a numeric linkedId", { linkedId: 5 }, "invalid-linked-id"],
  ])("answers 400 for %s", async (_name, fields, code) => {
    const answer = await createApp().request("/fingerprint/identify", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        publicKey: "PublicKey0123456789ab",
        region: "us",
        browserId: "browser-id-0123456789",
        url: "http://localhost:8000/",
        userAgent: CHROME_UA,
        ...fields,
      }),
    });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ error: code, message: expect.any(String) });
  });

  it("answers 413 for a body over 8 KiB", async () => {
    const answer = await createApp().request("/fingerprint/identify", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ pad: "x".repeat(9000) }),
    });
    expect(answer.status).toBe(413);
  });
});

describe("GET /fingerprint/{api,eu-api,ap-api}/events/{requestId}", () => {
  it("answers the v3 event: identification and botd, with replayed false then true", async () => {
    const clock = Date.parse("2030-05-04T11:32:30.391Z");
    const app = createApp({ now: () => clock });
    const earlier = await identify(app, {}, fromIp("::ffff:203.0.113.7"));
    const { requestId, visitorId } = await identify(
      app,
      { tag: { order: 42 }, linkedId: "user-1", url: "http://localhost:8000/fp/?x=1" },
      fromIp("::ffff:203.0.113.7"),
    );
    const answer = await fpApi(app, `/fingerprint/api/events/${requestId}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    const event = (await answer.json()) as Json;
    const time = "2030-05-04T11:32:30Z";
    expect(event).toEqual({
      products: {
        identification: {
          data: {
            visitorId,
            requestId,
            incognito: false,
            ip: "203.0.113.7",
            ipLocation: expect.objectContaining({ accuracyRadius: expect.any(Number) }),
            linkedId: "user-1",
            timestamp: clock,
            time,
            url: "http://localhost:8000/fp/?x=1",
            tag: { order: 42 },
            confidence: { score: 1 },
            visitorFound: true,
            firstSeenAt: { global: time, subscription: time },
            lastSeenAt: { global: time, subscription: time },
            browserDetails: {
              browserName: "Chrome",
              browserMajorVersion: "124",
              browserFullVersion: "124.0.6367",
              os: "Linux",
              osVersion: "",
              device: "Other",
              userAgent: CHROME_UA,
            },
            replayed: false,
          },
        },
        botd: {
          data: {
            bot: { result: "notDetected" },
            url: "http://localhost:8000/fp/?x=1",
            ip: "203.0.113.7",
            time,
            userAgent: CHROME_UA,
            requestId,
            linkedId: "user-1",
          },
        },
      },
    });
    const again = (await (await fpApi(app, `/fingerprint/api/events/${requestId}`)).json()) as Json;
    expect(again.products.identification.data.replayed).toBe(true);

    // A first visit: not found before, never seen before, no linkedId.
    const first = (await (
      await fpApi(app, `/fingerprint/api/events/${earlier.requestId}`)
    ).json()) as Json;
    const data = first.products.identification.data;
    expect(data).toMatchObject({ visitorFound: false, lastSeenAt: { global: null }, tag: {} });
    expect(data).not.toHaveProperty("linkedId");
    expect(data.replayed).toBe(false);
  });

  it("reports the socket IP of the identify request (127.0.0.1 in-process)", async () => {
    const app = createApp();
    const { requestId } = await identify(app);
    const event = (await (await fpApi(app, `/fingerprint/api/events/${requestId}`)).json()) as Json;
    expect(event.products.identification.data.ip).toBe("127.0.0.1");
  });

  it("serves each region's events on its own base only (404 RequestNotFound elsewhere)", async () => {
    const app = createApp();
    const bases = { us: "/fingerprint/api", eu: "/fingerprint/eu-api", ap: "/fingerprint/ap-api" };
    for (const [region, base] of Object.entries(bases)) {
      const { requestId } = await identify(app, { region });
      for (const other of Object.values(bases)) {
        const answer = await fpApi(app, `${other}/events/${requestId}`);
        if (other === base) {
          expect(answer.status).toBe(200);
        } else {
          expect(answer.status).toBe(404);
          expect(await answer.json()).toEqual({
            error: { code: "RequestNotFound", message: expect.any(String) },
          });
        }
      }
    }
  });

  it("answers 404 RequestNotFound for an unknown request id", async () => {
    const answer = await fpApi(createApp(), "/fingerprint/api/events/1700000000000.abcdef");
    expect(answer.status).toBe(404);
    expect(await answer.json()).toEqual({
      error: { code: "RequestNotFound", message: "request id not found" },
    });
  });

  it.each([
    ["no Auth-API-Key", null],
    ["an empty key", ""],
    ["a short key", "abc123"],
    ["a key with symbols", "SandboxSecretKey012345-_"],
  ])("answers 403 TokenNotFound for %s", async (_name, secret) => {
    const app = createApp();
    const { requestId } = await identify(app);
    const answer = await fpApi(app, `/fingerprint/api/events/${requestId}`, secret);
    expect(answer.status).toBe(403);
    expect(await answer.json()).toEqual({
      error: { code: "TokenNotFound", message: "secret key is not found" },
    });
  });

  it("accepts any well-formed secret for any public key", async () => {
    const app = createApp();
    const { requestId } = await identify(app, { publicKey: "SomeOtherPublicKey00" });
    const answer = await fpApi(app, `/fingerprint/api/events/${requestId}`, "x".repeat(20));
    expect(answer.status).toBe(200);
  });

  it("rate-limits per secret key: 429 TooManyRequests with Retry-After, then recovers", async () => {
    let clock = 1_000_000;
    const app = createApp({ now: () => clock, fingerprintRateLimit: 2 });
    const { requestId } = await identify(app);
    const path = `/fingerprint/api/events/${requestId}`;
    expect((await fpApi(app, path)).status).toBe(200);
    clock += 400;
    expect((await fpApi(app, path)).status).toBe(200);
    const limited = await fpApi(app, path);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(await limited.json()).toEqual({
      error: { code: "TooManyRequests", message: expect.any(String) },
    });
    // Another secret has its own budget; the limited one recovers in the next second.
    expect((await fpApi(app, path, "AnotherSecretKey0123456")).status).toBe(200);
    clock += 600;
    expect((await fpApi(app, path)).status).toBe(200);
  });
});

describe("GET /fingerprint/api/visitors/{visitorId}", () => {
  it("answers the older shape, newest first, with botProbability; request_id narrows it", async () => {
    let clock = Date.parse("2030-01-01T00:00:00.000Z");
    const app = createApp({ now: () => clock });
    const first = await identify(app);
    clock += 1000;
    const second = await identify(app, { tag: { n: 2 } });
    const answer = await fpApi(app, `/fingerprint/api/visitors/${first.visitorId}`);
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as Json;
    expect(body.visitorId).toBe(first.visitorId);
    expect(body.visits.map((visit: Json) => visit.requestId)).toEqual([
      second.requestId,
      first.requestId,
    ]);
    expect(body.visits[0]).toEqual({
      requestId: second.requestId,
      incognito: false,
      ip: "127.0.0.1",
      ipLocation: expect.any(Object),
      timestamp: clock,
      time: "2030-01-01T00:00:01Z",
      url: "http://localhost:8000/fingerprint/",
      tag: { n: 2 },
      confidence: { score: 1 },
      visitorFound: true,
      firstSeenAt: { global: "2030-01-01T00:00:00Z", subscription: "2030-01-01T00:00:00Z" },
      lastSeenAt: { global: "2030-01-01T00:00:00Z", subscription: "2030-01-01T00:00:00Z" },
      browserDetails: {
        browserName: "Chrome",
        browserMajorVersion: "124",
        browserFullVersion: "124.0.6367",
        os: "Linux",
        osVersion: "",
        device: "Other",
        userAgent: CHROME_UA,
        botProbability: 0,
      },
    });

    const narrowed = (await (
      await fpApi(app, `/fingerprint/api/visitors/${first.visitorId}?request_id=${first.requestId}`)
    ).json()) as Json;
    expect(narrowed.visits.map((visit: Json) => visit.requestId)).toEqual([first.requestId]);
    const limited = (await (
      await fpApi(app, `/fingerprint/api/visitors/${first.visitorId}?limit=1`)
    ).json()) as Json;
    expect(limited.visits).toHaveLength(1);
  });

  it("answers 200 with no visits for an unknown visitor, request id, or another region", async () => {
    const app = createApp();
    const { visitorId } = await identify(app, { region: "eu" });
    for (const path of [
      `/fingerprint/api/visitors/${"Z".repeat(20)}`,
      `/fingerprint/eu-api/visitors/${visitorId}?request_id=1.abcdef`,
      `/fingerprint/api/visitors/${visitorId}`,
      `/fingerprint/ap-api/visitors/${visitorId}`,
    ]) {
      const answer = await fpApi(app, path);
      expect(answer.status).toBe(200);
      expect(((await answer.json()) as Json).visits).toEqual([]);
    }
    const eu = (await (
      await fpApi(app, `/fingerprint/eu-api/visitors/${visitorId}`)
    ).json()) as Json;
    expect(eu.visits).toHaveLength(1);
  });

  it("answers 400 for a bad limit and 403 without a secret", async () => {
    const app = createApp();
    const bad = await fpApi(app, "/fingerprint/api/visitors/abc?limit=0");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "RequestCannotBeParsed" } });
    const forbidden = await fpApi(app, "/fingerprint/api/visitors/abc", null);
    expect(forbidden.status).toBe(403);
  });

  it("counts as a fetch for replayed", async () => {
    const app = createApp();
    const { requestId, visitorId } = await identify(app);
    await fpApi(app, `/fingerprint/api/visitors/${visitorId}?request_id=${requestId}`);
    const event = (await (await fpApi(app, `/fingerprint/api/events/${requestId}`)).json()) as Json;
    expect(event.products.identification.data.replayed).toBe(true);
  });
});

describe("POST /__sandbox/fingerprint/bot", () => {
  it("sets the bot result of a visitor's future events (both API shapes); notDetected by default", async () => {
    const app = createApp();
    const before = await identify(app);
    for (const [result, probability] of [
      ["bad", 1],
      ["good", 0],
      ["notDetected", 0],
    ] as const) {
      const set = await control(app, "/fingerprint/bot", { visitorId: before.visitorId, result });
      expect(set.status).toBe(200);
      expect(await set.json()).toEqual({ visitorId: before.visitorId, result });
      const { requestId } = await identify(app);
      const event = (await (
        await fpApi(app, `/fingerprint/api/events/${requestId}`)
      ).json()) as Json;
      expect(event.products.botd.data.bot.result).toBe(result);
      const visits = (await (
        await fpApi(app, `/fingerprint/api/visitors/${before.visitorId}?request_id=${requestId}`)
      ).json()) as Json;
      expect(visits.visits[0].browserDetails.botProbability).toBe(probability);
    }
    // The event recorded before any setting keeps its result.
    const old = (await (
      await fpApi(app, `/fingerprint/api/events/${before.requestId}`)
    ).json()) as Json;
    expect(old.products.botd.data.bot.result).toBe("notDetected");
  });

  it.each([
    ["a bad visitorId", { visitorId: "short", result: "bad" }, "invalid-visitor-id"],
    ["a bad result", { visitorId: "A".repeat(20), result: "evil" }, "invalid-result"],
    ["an unknown field", { visitorId: "A".repeat(20), result: "bad", x: 1 }, "unknown-field"],
  ])("answers 400 for %s", async (_name, body, code) => {
    const answer = await control(createApp(), "/fingerprint/bot", body);
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ error: code, message: expect.any(String) });
  });
});

describe("event store bounds", () => {
  it("forgets the oldest events past maxEvents", async () => {
    const app = createApp({ maxEvents: 2 });
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await identify(app)).requestId);
    expect((await fpApi(app, `/fingerprint/api/events/${ids[0]}`)).status).toBe(404);
    expect((await fpApi(app, `/fingerprint/api/events/${ids[1]}`)).status).toBe(200);
    expect((await fpApi(app, `/fingerprint/api/events/${ids[2]}`)).status).toBe(200);
  });
});

describe("GET /fingerprint/v3/<publicKey> (the agent)", () => {
  it("serves the agent module with CORS * and no-store; 404 for a bad key", async () => {
    const app = createApp();
    const answer = await app.request("/fingerprint/v3/PublicKey0123456789ab", {
      headers: { Origin: "http://localhost:8000" },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("application/javascript; charset=utf-8");
    expect(answer.headers.get("access-control-allow-origin")).toBe("*");
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(await answer.text()).toContain("export function load(");
    expect((await app.request("/fingerprint/v3/bad%20key")).status).toBe(404);
  });
});

describe("browserDetails", () => {
  it.each([
    [CHROME_UA, ["Chrome", "124", "124.0.6367", "Linux", "", "Other"]],
    [
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
      ["Firefox", "125", "125.0", "Windows", "10", "Other"],
    ],
    [
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
      ["Safari", "17", "17.4", "iOS", "17.4", "iPhone"],
    ],
    [
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.6778.85 Safari/537.36",
      ["Chrome Headless", "131", "131.0.6778", "Linux", "", "Other"],
    ],
    ["curl/8.0", ["Other", "", "", "Other", "", "Other"]],
  ])("reads %s", (ua, [browserName, major, full, os, osVersion, device]) => {
    expect(browserDetails(ua)).toEqual({
      browserName,
      browserMajorVersion: major,
      browserFullVersion: full,
      os,
      osVersion,
      device,
      userAgent: ua,
    });
  });
});

// Keep the secret constant honest: it must be what the API accepts.
it("FP_SECRET is well-formed", () => {
  expect(FP_SECRET).toMatch(/^[A-Za-z0-9]{20,}$/);
});
