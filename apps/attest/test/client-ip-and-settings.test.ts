import { ConfigError } from "@shapes/node-service";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { clientIp } from "../src/http/client-ip.js";
import { DEFAULT_SETTINGS, settingsFromEnv } from "../src/settings.js";
import { newArc } from "../src/tokens/arc.js";
import { connEnv } from "./helpers/test-app.js";

function ipApp(trustProxy: boolean) {
  const app = new Hono();
  app.get("/", (c) => c.text(clientIp(c, trustProxy)));
  return app;
}

describe("clientIp", () => {
  it("uses the socket address and ignores X-Forwarded-For by default", async () => {
    const res = await ipApp(false).request(
      "/",
      { headers: { "x-forwarded-for": "198.51.100.1" } },
      connEnv("::ffff:192.0.2.4"),
    );
    expect(await res.text()).toBe("192.0.2.4");
  });

  it("with TRUST_PROXY uses the entry our proxy appended (the last one)", async () => {
    const app = ipApp(true);
    const res = await app.request(
      "/",
      { headers: { "x-forwarded-for": "10.9.9.9, 198.51.100.1" } },
      connEnv("192.0.2.4"),
    );
    expect(await res.text()).toBe("198.51.100.1");
    const junk = await app.request(
      "/",
      { headers: { "x-forwarded-for": "not-an-ip" } },
      connEnv("192.0.2.4"),
    );
    expect(await junk.text()).toBe("192.0.2.4");
  });

  it("falls back to 0.0.0.0 without a socket", async () => {
    expect(await (await ipApp(false).request("/")).text()).toBe("0.0.0.0");
  });
});

describe("settings and arc", () => {
  it("reads settings from env with documented defaults", () => {
    expect(settingsFromEnv({})).toEqual(DEFAULT_SETTINGS);
    expect(
      settingsFromEnv({
        ATTEST_MAX_BODY_BYTES: "100",
        ATTEST_BODY_TIMEOUT_MS: "200",
        HCAPTCHA_SITEVERIFY_URL: "https://api.hcaptcha.com/siteverify",
        RECAPTCHA_SITEVERIFY_URL: "https://www.google.com/recaptcha/api/siteverify",
        FINGERPRINT_API_URL_ROW: "https://api.fpjs.io",
        FINGERPRINT_API_URL_EU: "https://eu.api.fpjs.io",
        FINGERPRINT_API_URL_ASIA: "https://ap.api.fpjs.io",
        TURNSTILE_SITEVERIFY_URL: "https://challenges.cloudflare.com/turnstile/v0/siteverify",
        UPSTREAM_TIMEOUT_MS: "300",
        TRUST_PROXY: "1",
        WEB_ORIGIN: "http://localhost:8000,https://shapes.example",
      }),
    ).toEqual({
      maxBodyBytes: 100,
      bodyTimeoutMs: 200,
      hcaptchaSiteverifyUrl: "https://api.hcaptcha.com/siteverify",
      recaptchaSiteverifyUrl: "https://www.google.com/recaptcha/api/siteverify",
      fingerprintApiUrls: {
        RoW: "https://api.fpjs.io",
        EU: "https://eu.api.fpjs.io",
        Asia: "https://ap.api.fpjs.io",
      },
      turnstileSiteverifyUrl: "https://challenges.cloudflare.com/turnstile/v0/siteverify",
      upstreamTimeoutMs: 300,
      trustProxy: true,
      webOrigins: ["http://localhost:8000", "https://shapes.example"],
    });
    expect(() => settingsFromEnv({ UPSTREAM_TIMEOUT_MS: "soon" })).toThrow(ConfigError);
    expect(() => settingsFromEnv({ RECAPTCHA_SITEVERIFY_URL: "not a url" })).toThrow(
      "RECAPTCHA_SITEVERIFY_URL must be an absolute URL",
    );
    expect(() => settingsFromEnv({ FINGERPRINT_API_URL_EU: "ftp://eu.api.fpjs.io" })).toThrow(
      "FINGERPRINT_API_URL_EU must be an http(s) URL",
    );
    expect(settingsFromEnv({ TRUST_PROXY: "true" }).trustProxy).toBe(false);
  });

  it("makes 10-character base32 arcs that differ", () => {
    const arcs = new Set(Array.from({ length: 100 }, newArc));
    expect(arcs.size).toBe(100);
    for (const arc of arcs) expect(arc).toMatch(/^[A-Z2-7]{10}$/);
  });
});
