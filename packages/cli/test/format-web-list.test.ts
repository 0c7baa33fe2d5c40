import { describe, expect, it } from "vitest";
import type { AccountView } from "../src/account-view.js";
import { formatIntegrationList, formatWebList } from "../src/format-web-list.js";

// Expected texts are copied from the seeds (shared/seeds/001_*.txt, "Configure Approov with a
// Fingerprint Subscription / reCAPTCHA Site / hCaptcha Site", and the hCaptcha quickstart).

function account(parts: Partial<AccountView> = {}): AccountView {
  return {
    siteKey: "your-Approov-site-key",
    tokenLifetimeSeconds: 120,
    refreshTokenLifetimeSeconds: 7200,
    apis: {},
    ...parts,
  };
}

const captchaDefaults = {
  domains: [],
  minScore: 0,
  includeIP: false,
  embedResult: false,
  maxResultLifetimeSeconds: 0,
  rateLimit: 0,
};

describe("approov web -list", () => {
  it("prints the seed's Fingerprint listing", () => {
    const text = formatWebList(
      account({
        fingerprint: {
          optional: true,
          entries: {
            "your-Fingerprint-public-API-key": {
              region: "RoW",
              maxElapsedTimeSeconds: 2,
              maxBotProbability: 1,
              embedResult: false,
              maxResultLifetimeSeconds: 0,
              rateLimit: 0,
            },
          },
        },
      }),
    );
    expect(text).toBe(
      `Site Key: your-Approov-site-key
Token Lifetime: 120 seconds
Refresh Token Lifetime: 7200 seconds
Fingerprint:
  Optional: true
  Subscription Key: your-Fingerprint-public-API-key
    Region: RoW
    Max Elapsed Time: 2.00s
    Max Bot Probability: 1.00
    Embed Result: false
    Max Result Lifetime: 0s
`,
    );
  });

  it("prints the seed's reCAPTCHA listing", () => {
    const text = formatWebList(
      account({
        recaptcha: {
          optional: true,
          entries: {
            "your-reCAPTCHA-site-key": { ...captchaDefaults, actions: [], embedResult: true },
          },
        },
      }),
    );
    expect(text).toBe(
      `Site Key: your-Approov-site-key
Token Lifetime: 120 seconds
Refresh Token Lifetime: 7200 seconds
reCAPTCHA:
  Optional: true
  Site Key: your-reCAPTCHA-site-key
    Min Score: 0.00
    Include IP: false
    Embed Result: true
    Max Result Lifetime: 0s
`,
    );
  });

  it("prints the seed's hCaptcha listing, with its Domains entry", () => {
    const text = formatWebList(
      account({
        hcaptcha: {
          optional: true,
          entries: {
            "your-hCaptcha-site-key": { ...captchaDefaults, domains: ["your-web-site-domain"] },
          },
        },
      }),
    );
    expect(text).toBe(
      `Site Key: your-Approov-site-key
Token Lifetime: 120 seconds
Refresh Token Lifetime: 7200 seconds
hCaptcha:
  Optional: true
  Site Key: your-hCaptcha-site-key
    Domains:
      your-web-site-domain
    Min Score: 0.00
    Include IP: false
    Embed Result: false
    Max Result Lifetime: 0s
`,
    );
  });

  it("keeps the quickstart's lines in its order (it shows an older, shorter listing)", () => {
    const text = formatWebList(
      account({
        siteKey: "123a4567-abcd-12e3-9z8a-9b1234d54321",
        tokenLifetimeSeconds: 10,
        hcaptcha: { optional: true, entries: { aaaaa12345: captchaDefaults } },
      }),
    );
    const quickstart = [
      "Site Key: 123a4567-abcd-12e3-9z8a-9b1234d54321",
      "Token Lifetime: 10 seconds",
      "hCaptcha:",
      "  Optional: true",
      "  Site Key: aaaaa12345",
      "    Min Score: 0.00",
      "    Include IP: false",
      "    Embed Result: false",
    ];
    const lines = text.trimEnd().split("\n");
    let at = 0;
    for (const expected of quickstart) {
      const found = lines.indexOf(expected, at);
      expect(found, `"${expected}" after line ${at}`).toBeGreaterThanOrEqual(at);
      at = found + 1;
    }
    // "The Approov site key is the first Site Key in the output".
    expect(lines[0]).toBe("Site Key: 123a4567-abcd-12e3-9z8a-9b1234d54321");
  });

  it("prints all three integrations in the seed's section order, with every property", () => {
    const text = formatWebList(
      account({
        hcaptcha: {
          optional: false,
          entries: {
            "site-b": { ...captchaDefaults, domains: ["a.example", "b.example"], rateLimit: 30 },
            "site-a": { ...captchaDefaults, minScore: 0.5, includeIP: true },
          },
        },
        recaptcha: {
          optional: true,
          entries: {
            r1: {
              ...captchaDefaults,
              actions: ["login", "signup"],
              domains: ["shop.example"],
              maxResultLifetimeSeconds: 3600,
            },
          },
        },
        fingerprint: {
          optional: true,
          entries: {
            fp1: {
              region: "EU",
              maxElapsedTimeSeconds: 0.5,
              maxBotProbability: 0.25,
              embedResult: true,
              maxResultLifetimeSeconds: 60,
              rateLimit: 5,
            },
          },
        },
      }),
    );
    expect(text).toBe(
      `Site Key: your-Approov-site-key
Token Lifetime: 120 seconds
Refresh Token Lifetime: 7200 seconds
Fingerprint:
  Optional: true
  Subscription Key: fp1
    Region: EU
    Max Elapsed Time: 0.50s
    Max Bot Probability: 0.25
    Embed Result: true
    Max Result Lifetime: 60s
    Rate Limit: 5
reCAPTCHA:
  Optional: true
  Site Key: r1
    Domains:
      shop.example
    Actions:
      login
      signup
    Min Score: 0.00
    Include IP: false
    Embed Result: false
    Max Result Lifetime: 3600s
hCaptcha:
  Optional: false
  Site Key: site-a
    Min Score: 0.50
    Include IP: true
    Embed Result: false
    Max Result Lifetime: 0s
  Site Key: site-b
    Domains:
      a.example
      b.example
    Min Score: 0.00
    Include IP: false
    Embed Result: false
    Max Result Lifetime: 0s
    Rate Limit: 30
`,
    );
  });

  it("leaves out an integration with no entries unless it was made required", () => {
    const none = formatWebList(account({ hcaptcha: { optional: true, entries: {} } }));
    expect(none).not.toContain("hCaptcha");
    const required = formatWebList(account({ hcaptcha: { optional: false, entries: {} } }));
    expect(required).toContain("hCaptcha:\n  Optional: false\n");
  });
});

describe("approov web -hcaptcha -list", () => {
  it("prints the block the quickstart shows, without the heading", () => {
    const text = formatIntegrationList(
      account({ hcaptcha: { optional: true, entries: { aaaaa12345: captchaDefaults } } }),
      "hcaptcha",
    );
    expect(text).toBe(
      `Optional: true
Site Key: aaaaa12345
  Min Score: 0.00
  Include IP: false
  Embed Result: false
  Max Result Lifetime: 0s
`,
    );
  });

  it("prints Optional alone for an integration with nothing configured", () => {
    expect(formatIntegrationList(account(), "fingerprint")).toBe("Optional: true\n");
  });

  it("prints a Turnstile section after the seed's three, in the same layout", () => {
    const text = formatWebList(
      account({
        hcaptcha: { optional: true, entries: { "h-key": captchaDefaults } },
        turnstile: {
          optional: false,
          entries: {
            "0x4AAAAAAAsiteKey": {
              domains: ["shapes.example"],
              actions: ["login"],
              embedResult: true,
              maxResultLifetimeSeconds: 300,
              rateLimit: 30,
            },
          },
        },
      }),
    );
    expect(text).toBe(
      `Site Key: your-Approov-site-key
Token Lifetime: 120 seconds
Refresh Token Lifetime: 7200 seconds
hCaptcha:
  Optional: true
  Site Key: h-key
    Min Score: 0.00
    Include IP: false
    Embed Result: false
    Max Result Lifetime: 0s
Turnstile:
  Optional: false
  Site Key: 0x4AAAAAAAsiteKey
    Domains:
      shapes.example
    Actions:
      login
    Embed Result: true
    Max Result Lifetime: 300s
    Rate Limit: 30
`,
    );
  });
});
