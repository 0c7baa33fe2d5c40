import { describe, expect, it } from "vitest";
import { parseWebArgs } from "../src/commands/web.js";
import { usageMessage } from "./helpers/usage-message.js";

const HCAPTCHA_DEFAULTS = {
  domains: [],
  minScore: 0,
  includeIP: false,
  embedResult: false,
  maxResultLifetimeSeconds: 0,
  rateLimit: 0,
};

describe("approov web arguments: lists and lifetimes", () => {
  it("reads -list, an integration's -list, and -help", () => {
    expect(parseWebArgs(["-list"])).toEqual({ action: "list" });
    expect(parseWebArgs(["-hcaptcha", "-list"])).toEqual({
      action: "list-integration",
      integration: "hcaptcha",
    });
    expect(parseWebArgs(["-LIST", "-reCAPTCHA"])).toEqual({
      action: "list-integration",
      integration: "recaptcha",
    });
    expect(parseWebArgs(["-help"])).toEqual({ action: "help" });
  });

  it("reads -setTokenLifetime and -setRefreshTokenLifetime, alone or together", () => {
    expect(parseWebArgs(["-setTokenLifetime", "10"])).toEqual({
      action: "set-lifetimes",
      tokenLifetimeSeconds: 10,
      yes: false,
    });
    expect(
      parseWebArgs(["-settokenlifetime", "86400", "-setRefreshTokenLifetime", "2592000", "-yes"]),
    ).toEqual({
      action: "set-lifetimes",
      tokenLifetimeSeconds: 86400,
      refreshTokenLifetimeSeconds: 2592000,
      yes: true,
    });
  });

  it.each([
    ["setTokenLifetime", "0", "between 1 and 86400"],
    ["setTokenLifetime", "86401", "between 1 and 86400"],
    ["setTokenLifetime", "1.5", "between 1 and 86400"],
    ["setTokenLifetime", "ten", "between 1 and 86400"],
    ["setRefreshTokenLifetime", "2592001", "between 1 and 2592000"],
    ["setRefreshTokenLifetime", "-5", "between 1 and 2592000"],
  ])("refuses -%s %s", (flag, value, range) => {
    expect(usageMessage(() => parseWebArgs([`-${flag}`, value]))).toBe(
      `${flag} must be a whole number of seconds ${range}, got "${value}"`,
    );
  });

  it("needs an action", () => {
    expect(usageMessage(() => parseWebArgs([]))).toMatch(/^approov web needs an action: -list/);
    expect(usageMessage(() => parseWebArgs(["-yes"]))).toMatch(/^approov web needs an action/);
  });

  it("refuses -list with a lifetime, and a lifetime with an integration", () => {
    expect(usageMessage(() => parseWebArgs(["-list", "-setTokenLifetime", "5"]))).toBe(
      "-setTokenLifetime cannot be combined with -list",
    );
    expect(usageMessage(() => parseWebArgs(["-hcaptcha", "-setTokenLifetime", "5"]))).toBe(
      "-setTokenLifetime is an account setting: use it without an integration flag",
    );
  });

  it("refuses integration actions without an integration", () => {
    for (const argv of [
      ["-add", "k", "-secret", "s"],
      ["-remove", "k"],
      ["-setRequired"],
      ["-setOptional"],
    ]) {
      expect(usageMessage(() => parseWebArgs(argv))).toBe(
        `${argv[0]} needs an integration: -hcaptcha, -recaptcha, -fingerprint or -turnstile`,
      );
    }
    expect(usageMessage(() => parseWebArgs(["-list", "-minScore", "1"]))).toBe(
      "-minScore only goes with -add and an integration",
    );
  });

  it("refuses two integrations at once", () => {
    expect(usageMessage(() => parseWebArgs(["-hcaptcha", "-recaptcha", "-list"]))).toBe(
      "use one of -hcaptcha, -recaptcha, -fingerprint, -turnstile at a time",
    );
  });
});

describe("approov web arguments: an integration's actions", () => {
  it("reads the quickstart's command, with the seed's -hCaptcha spelling", () => {
    expect(parseWebArgs(["-hCaptcha", "-add", "aaaaa12345", "-secret", "bbbbb12345"])).toEqual({
      action: "add",
      integration: "hcaptcha",
      key: "aaaaa12345",
      entry: { secret: "bbbbb12345", ...HCAPTCHA_DEFAULTS },
      yes: false,
    });
  });

  it("reads every hCaptcha property", () => {
    const invocation = parseWebArgs([
      "-hcaptcha",
      "-add",
      "10000000-ffff-ffff-ffff-000000000001",
      "-secret",
      "0x0000000000000000000000000000000000000000",
      "-domain",
      "Example.com",
      "-DOMAIN",
      "shop.example.com",
      "-domain",
      "example.com",
      "-minScore",
      "0.5",
      "-includeIP",
      "-embedResult",
      "-maxResultLifetime",
      "1h",
      "-rateLimit",
      "100",
      "-yes",
    ]);
    expect(invocation).toEqual({
      action: "add",
      integration: "hcaptcha",
      key: "10000000-ffff-ffff-ffff-000000000001",
      entry: {
        secret: "0x0000000000000000000000000000000000000000",
        domains: ["example.com", "shop.example.com"],
        minScore: 0.5,
        includeIP: true,
        embedResult: true,
        maxResultLifetimeSeconds: 3600,
        rateLimit: 100,
      },
      yes: true,
    });
  });

  it("reads reCAPTCHA's -action (repeatable) on top of the captcha properties", () => {
    const invocation = parseWebArgs([
      "-recaptcha",
      "-add",
      "6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI",
      "-secret",
      "6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe",
      "-action",
      "login",
      "-action",
      "signup",
      "-minscore",
      "1",
      "-maxResultLifetime",
      "90",
    ]);
    expect(invocation).toEqual({
      action: "add",
      integration: "recaptcha",
      key: "6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI",
      entry: {
        secret: "6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe",
        ...HCAPTCHA_DEFAULTS,
        minScore: 1,
        maxResultLifetimeSeconds: 90,
        actions: ["login", "signup"],
      },
      yes: false,
    });
  });

  it("reads the seed's Fingerprint command and every Fingerprint property", () => {
    expect(
      parseWebArgs(["-fingerprint", "-add", "pubkey", "-secret", "secretkey", "-region", "RoW"]),
    ).toEqual({
      action: "add",
      integration: "fingerprint",
      key: "pubkey",
      entry: {
        secret: "secretkey",
        region: "RoW",
        maxElapsedTimeSeconds: 2,
        maxBotProbability: 1,
        embedResult: false,
        maxResultLifetimeSeconds: 0,
        rateLimit: 0,
      },
      yes: false,
    });
    const all = parseWebArgs([
      "-Fingerprint",
      "-add",
      "pubkey",
      "-secret",
      "secretkey",
      "-region",
      "eu",
      "-maxElapsedTime",
      "500ms",
      "-maxBotProbability",
      "0.3",
      "-embedResult",
      "-maxResultLifetime",
      "5m",
      "-rateLimit",
      "0",
    ]);
    expect(all).toMatchObject({
      entry: {
        region: "EU",
        maxElapsedTimeSeconds: 0.5,
        maxBotProbability: 0.3,
        embedResult: true,
        maxResultLifetimeSeconds: 300,
        rateLimit: 0,
      },
    });
  });

  it("reads -remove, -setRequired and -setOptional", () => {
    expect(parseWebArgs(["-hcaptcha", "-remove", "aaaaa12345", "-yes"])).toEqual({
      action: "remove",
      integration: "hcaptcha",
      key: "aaaaa12345",
      yes: true,
    });
    expect(parseWebArgs(["-fingerprint", "-setRequired"])).toEqual({
      action: "set-optional",
      integration: "fingerprint",
      optional: false,
      yes: false,
    });
    expect(parseWebArgs(["-recaptcha", "-setoptional"])).toEqual({
      action: "set-optional",
      integration: "recaptcha",
      optional: true,
      yes: false,
    });
  });

  it("needs exactly one action with an integration", () => {
    expect(usageMessage(() => parseWebArgs(["-hcaptcha"]))).toBe(
      "approov web -hcaptcha needs one of -add <key>, -remove <key>, -setRequired, -setOptional, -list",
    );
    expect(usageMessage(() => parseWebArgs(["-hcaptcha", "-setRequired", "-setOptional"]))).toBe(
      "use one of -setRequired, -setOptional at a time",
    );
  });

  it("needs -secret with -add, and takes properties only with -add", () => {
    expect(usageMessage(() => parseWebArgs(["-hcaptcha", "-add", "k"]))).toBe(
      "-add needs -secret <secret> (the hcaptcha secret for that key)",
    );
    expect(usageMessage(() => parseWebArgs(["-hcaptcha", "-remove", "k", "-minScore", "1"]))).toBe(
      "-minScore only goes with -add",
    );
    expect(usageMessage(() => parseWebArgs(["-hcaptcha", "-list", "-secret", "s"]))).toBe(
      "-secret only goes with -add",
    );
  });

  it.each([
    ["hcaptcha", "action", "login", "-recaptcha, -turnstile"],
    ["hcaptcha", "region", "EU", "-fingerprint"],
    ["hcaptcha", "maxElapsedTime", "2", "-fingerprint"],
    ["recaptcha", "maxBotProbability", "0.5", "-fingerprint"],
    ["fingerprint", "domain", "a.b", "-hcaptcha, -recaptcha, -turnstile"],
    ["turnstile", "minScore", "0.5", "-hcaptcha, -recaptcha"],
    ["fingerprint", "minScore", "0.5", "-hcaptcha, -recaptcha"],
  ])("refuses -%s -%s (it belongs to %s)", (integration, flag, value, owners) => {
    const argv = [`-${integration}`, "-add", "k", "-secret", "s", `-${flag}`, value];
    expect(usageMessage(() => parseWebArgs(argv))).toBe(
      `-${flag} does not apply to -${integration} (only ${owners})`,
    );
  });

  it("reads -turnstile -add with the properties a Turnstile site has", () => {
    const argv = [
      "-turnstile",
      "-add",
      "0x4AAAAAAAsiteKey",
      "-secret",
      "0x4AAAAAAAsecret",
      "-domain",
      "Shapes.Example",
      "-action",
      "login",
      "-action",
      "signup",
      "-embedResult",
      "-maxResultLifetime",
      "5m",
      "-rateLimit",
      "30",
      "-yes",
    ];
    expect(parseWebArgs(argv)).toEqual({
      action: "add",
      integration: "turnstile",
      key: "0x4AAAAAAAsiteKey",
      entry: {
        secret: "0x4AAAAAAAsecret",
        domains: ["shapes.example"],
        actions: ["login", "signup"],
        embedResult: true,
        maxResultLifetimeSeconds: 300,
        rateLimit: 30,
      },
      yes: true,
    });
    expect(parseWebArgs(["-turnstile", "-add", "k", "-secret", "s"])).toMatchObject({
      entry: { secret: "s", domains: [], actions: [], embedResult: false, rateLimit: 0 },
    });
    expect(parseWebArgs(["-turnstile", "-setRequired"])).toEqual({
      action: "set-optional",
      integration: "turnstile",
      optional: false,
      yes: false,
    });
  });

  it("refuses -includeIP for Fingerprint", () => {
    const argv = ["-fingerprint", "-add", "k", "-secret", "s", "-includeIP"];
    expect(usageMessage(() => parseWebArgs(argv))).toBe(
      "-includeIP does not apply to -fingerprint (only -hcaptcha, -recaptcha)",
    );
  });
});

describe("approov web arguments: bad values", () => {
  const add = (integration: string, ...rest: string[]) => [
    `-${integration}`,
    "-add",
    "k",
    "-secret",
    "s",
    ...rest,
  ];

  it.each(["-0.1", "1.01", "abc", "0x1", "1e-1", "NaN"])("refuses -minScore %j", (value) => {
    expect(usageMessage(() => parseWebArgs(add("hcaptcha", "-minScore", value)))).toBe(
      `minScore must be a number between 0 and 1, got "${value}"`,
    );
  });

  it.each(["2", "-1", "high"])("refuses -maxBotProbability %j", (value) => {
    expect(usageMessage(() => parseWebArgs(add("fingerprint", "-maxBotProbability", value)))).toBe(
      `maxBotProbability must be a number between 0 and 1, got "${value}"`,
    );
  });

  it.each(["-1", "1.5", "ten", "9007199254740993"])("refuses -rateLimit %j", (value) => {
    expect(usageMessage(() => parseWebArgs(add("recaptcha", "-rateLimit", value)))).toBe(
      `rateLimit must be a whole number >= 0, got "${value}"`,
    );
  });

  it.each(["Asia", "us", ""])("refuses -region %j", (value) => {
    const message = usageMessage(() => parseWebArgs(add("fingerprint", "-region", value)));
    expect(message).toBe(
      value === "" ? "-region needs a value <RoW|EU>" : `region must be RoW or EU, got "${value}"`,
    );
  });

  it("refuses bad durations, fractional result lifetimes and a zero elapsed time", () => {
    expect(usageMessage(() => parseWebArgs(add("fingerprint", "-maxElapsedTime", "2x")))).toBe(
      'maxElapsedTime must be a duration in seconds (e.g. 2, 1.5) or with a unit (500ms, 2s, 5m, 1h), got "2x"',
    );
    expect(usageMessage(() => parseWebArgs(add("fingerprint", "-maxElapsedTime", "0")))).toBe(
      'maxElapsedTime must be more than 0, got "0"',
    );
    expect(usageMessage(() => parseWebArgs(add("hcaptcha", "-maxResultLifetime", "500ms")))).toBe(
      'maxResultLifetime must be a whole number of seconds, got "500ms"',
    );
    expect(
      usageMessage(() => parseWebArgs(add("hcaptcha", "-maxResultLifetime", "forever"))),
    ).toMatch(/^maxResultLifetime must be a duration in seconds/);
  });

  it("refuses bad keys, domains, secrets and actions without echoing the secret", () => {
    expect(usageMessage(() => parseWebArgs(["-hcaptcha", "-add", "a/b", "-secret", "s"]))).toBe(
      'add must be a key of letters, digits, ".", "_", "~" or "-" (at most 256), got "a/b"',
    );
    expect(usageMessage(() => parseWebArgs(["-hcaptcha", "-remove", "optional"]))).toBe(
      'remove "optional" is reserved by the admin API; it cannot be a key',
    );
    expect(usageMessage(() => parseWebArgs(add("hcaptcha", "-domain", "https://a.b")))).toBe(
      'domain must be a host name like www.example.com (letters, digits, dots, hyphens), got "https://a.b"',
    );
    const spaced = usageMessage(() =>
      parseWebArgs(["-hcaptcha", "-add", "k", "-secret", "top secret"]),
    );
    expect(spaced).toBe("secret must be printable ASCII without spaces");
    expect(
      usageMessage(() => parseWebArgs(["-hcaptcha", "-add", "k", "-secret", "x".repeat(1025)])),
    ).toBe("secret is too long (more than 1024 characters)");
    expect(usageMessage(() => parseWebArgs(add("recaptcha", "-action", "x".repeat(101))))).toBe(
      "action is too long (more than 100 characters)",
    );
    expect(usageMessage(() => parseWebArgs(add("hcaptcha", "-domain")))).toBe(
      "-domain needs a value <domain>",
    );
  });

  it("bounds repeatable lists", () => {
    const domains = Array.from({ length: 51 }, (_, i) => ["-domain", `d${i}.example`]).flat();
    expect(usageMessage(() => parseWebArgs(add("hcaptcha", ...domains)))).toBe(
      "-domain may be given at most 50 times",
    );
  });
});
