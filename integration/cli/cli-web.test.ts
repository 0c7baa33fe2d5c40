import { INTEGRATIONS } from "@shapes/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approov, type RunOptions } from "../../packages/cli/test/helpers/run-approov.js";
import { type AttestProcess, startAttest } from "./attest-process.js";

let attest: AttestProcess;
let siteKey: string;
let run: (args: string[], options?: RunOptions) => ReturnType<typeof approov>;

const SECRETS = ["bbbbb12345", "recaptcha-secret-1", "fp-secret-1", "hcap-secret-2"];

beforeAll(async () => {
  attest = await startAttest();
  siteKey = (await attest.accountFile()).siteKey as string;
  run = async (args, options = {}) => {
    const result = await approov(args, {
      cwd: attest.projectDir,
      ...options,
      env: { APPROOV_ATTEST_URL: attest.url, APPROOV_ASSUME_YES: "1", ...options.env },
    });
    for (const secret of SECRETS) {
      expect(result.stdout + result.stderr).not.toContain(secret);
    }
    return result;
  };
  // Start from an account with no web protection entries, so listings are the seed's.
  const account = await attest.accountFile();
  const entries = INTEGRATIONS.map((d): [string, object | undefined] => [
    `-${d.cliFlag}`,
    (account[d.name] as Record<string, object> | undefined)?.[d.entriesKey],
  ]);
  for (const [integration, keys] of entries) {
    for (const key of Object.keys(keys ?? {})) {
      expect((await run(["web", integration, "-remove", key])).code).toBe(0);
    }
  }
});
afterAll(async () => {
  await attest?.stop();
});

function header(tokenLifetime = 120, refresh = 7200): string {
  return `Site Key: ${siteKey}\nToken Lifetime: ${tokenLifetime} seconds\nRefresh Token Lifetime: ${refresh} seconds\n`;
}

describe("approov web (real binary, real attest)", () => {
  it("lists an account without sites: the three account lines", async () => {
    expect(await run(["web", "-list"])).toEqual({ code: 0, stdout: header(), stderr: "" });
  });

  it("adds the quickstart's hCaptcha site verbatim and lists it as the seeds do", async () => {
    const added = await run(["web", "-hCaptcha", "-add", "aaaaa12345", "-secret", "bbbbb12345"]);
    expect(added).toEqual({ code: 0, stdout: "hcaptcha site aaaaa12345 added\n", stderr: "" });

    const block =
      "Optional: true\nSite Key: aaaaa12345\n  Min Score: 0.00\n  Include IP: false\n  Embed Result: false\n  Max Result Lifetime: 0s\n";
    expect(await run(["web", "-hcaptcha", "-list"])).toEqual({
      code: 0,
      stdout: block,
      stderr: "",
    });
    const indented = block
      .trimEnd()
      .split("\n")
      .map((line) => `  ${line}\n`)
      .join("");
    expect((await run(["web", "-list"])).stdout).toBe(`${header()}hCaptcha:\n${indented}`);

    // The secret reached attest (it is what siteverify gets) but is never shown.
    const account = await attest.accountFile();
    const sites = (account.hcaptcha as { sites: Record<string, { secret: string }> }).sites;
    expect(sites.aaaaa12345?.secret).toBe("bbbbb12345");
  });

  it("sets every hCaptcha property, and re-adding overwrites the whole entry", async () => {
    const added = await run([
      "web",
      "-hcaptcha",
      "-add",
      "aaaaa12345",
      "-secret",
      "hcap-secret-2",
      "-domain",
      "your-web-site-domain",
      "-Domain",
      "shop.example",
      "-minScore",
      "0.5",
      "-includeIP",
      "-embedResult",
      "-maxResultLifetime",
      "1h",
      "-rateLimit",
      "30",
    ]);
    expect(added.code).toBe(0);
    expect((await run(["web", "-hcaptcha", "-list"])).stdout).toBe(
      // Domains keep the order they were given in.
      "Optional: true\nSite Key: aaaaa12345\n  Domains:\n    your-web-site-domain\n    shop.example\n  Min Score: 0.50\n  Include IP: true\n  Embed Result: true\n  Max Result Lifetime: 3600s\n  Rate Limit: 30\n",
    );

    // "Each addition of the same site key completely overwrites the previously stored entry."
    expect(
      (await run(["web", "-hcaptcha", "-add", "aaaaa12345", "-secret", "bbbbb12345"])).code,
    ).toBe(0);
    expect((await run(["web", "-hcaptcha", "-list"])).stdout).toBe(
      "Optional: true\nSite Key: aaaaa12345\n  Min Score: 0.00\n  Include IP: false\n  Embed Result: false\n  Max Result Lifetime: 0s\n",
    );
  });

  it("adds a reCAPTCHA site with actions and lists it", async () => {
    const added = await run([
      "web",
      "-recaptcha",
      "-add",
      "your-reCAPTCHA-site-key",
      "-secret",
      "recaptcha-secret-1",
      "-action",
      "login",
      "-action",
      "signup",
      "-domain",
      "example.com",
      "-minScore",
      "0.7",
      "-embedResult",
    ]);
    expect(added).toEqual({
      code: 0,
      stdout: "recaptcha site your-reCAPTCHA-site-key added\n",
      stderr: "",
    });
    expect((await run(["web", "-reCAPTCHA", "-list"])).stdout).toBe(
      "Optional: true\nSite Key: your-reCAPTCHA-site-key\n  Domains:\n    example.com\n  Actions:\n    login\n    signup\n  Min Score: 0.70\n  Include IP: false\n  Embed Result: true\n  Max Result Lifetime: 0s\n",
    );
  });

  it("adds the seed's Fingerprint subscription and every Fingerprint property", async () => {
    const seed = await run([
      "web",
      "-fingerprint",
      "-add",
      "your-Fingerprint-public-API-key",
      "-secret",
      "fp-secret-1",
      "-region",
      "RoW",
    ]);
    expect(seed).toEqual({
      code: 0,
      stdout: "fingerprint subscription your-Fingerprint-public-API-key added\n",
      stderr: "",
    });
    const full = await run([
      "web",
      "-Fingerprint",
      "-add",
      "fp-eu",
      "-secret",
      "fp-secret-1",
      "-region",
      "eu",
      "-maxElapsedTime",
      "500ms",
      "-maxBotProbability",
      "0.25",
      "-embedResult",
      "-maxResultLifetime",
      "5m",
      "-rateLimit",
      "10",
    ]);
    expect(full.code).toBe(0);

    // The whole listing, in the seed's section order (Fingerprint, reCAPTCHA, hCaptcha).
    expect((await run(["web", "-list"])).stdout).toBe(
      `${header()}Fingerprint:
  Optional: true
  Subscription Key: fp-eu
    Region: EU
    Max Elapsed Time: 0.50s
    Max Bot Probability: 0.25
    Embed Result: true
    Max Result Lifetime: 300s
    Rate Limit: 10
  Subscription Key: your-Fingerprint-public-API-key
    Region: RoW
    Max Elapsed Time: 2.00s
    Max Bot Probability: 1.00
    Embed Result: false
    Max Result Lifetime: 0s
reCAPTCHA:
  Optional: true
  Site Key: your-reCAPTCHA-site-key
    Domains:
      example.com
    Actions:
      login
      signup
    Min Score: 0.70
    Include IP: false
    Embed Result: true
    Max Result Lifetime: 0s
hCaptcha:
  Optional: true
  Site Key: aaaaa12345
    Min Score: 0.00
    Include IP: false
    Embed Result: false
    Max Result Lifetime: 0s
`,
    );
  });

  it("makes each integration required and optional again", async () => {
    for (const integration of ["hcaptcha", "recaptcha", "fingerprint"]) {
      const required = await run(["web", `-${integration}`, "-setRequired"]);
      expect(required).toEqual({ code: 0, stdout: `${integration} is now required\n`, stderr: "" });
      expect((await run(["web", `-${integration}`, "-list"])).stdout).toMatch(/^Optional: false\n/);
      const optional = await run(["web", `-${integration}`, "-SETOPTIONAL"]);
      expect(optional.stdout).toBe(`${integration} is now optional\n`);
      expect((await run(["web", `-${integration}`, "-list"])).stdout).toMatch(/^Optional: true\n/);
    }
  });

  it("removes sites and subscriptions; an unknown key is an error", async () => {
    const removed = await run(["web", "-fingerprint", "-remove", "fp-eu"]);
    expect(removed).toEqual({
      code: 0,
      stdout: "fingerprint subscription fp-eu removed\n",
      stderr: "",
    });
    const recaptcha = await run(["web", "-recaptcha", "-remove", "your-reCAPTCHA-site-key"]);
    expect(recaptcha.stdout).toBe("recaptcha site your-reCAPTCHA-site-key removed\n");
    expect((await run(["web", "-list"])).stdout).not.toMatch(/fp-eu|reCAPTCHA/);

    const unknown = await run(["web", "-hcaptcha", "-remove", "no-such-site"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe("");
    expect(unknown.stderr).toMatch(/^approov: .*no-such-site.*\n$/);
  });

  it("sets the token and refresh token lifetimes", async () => {
    const token = await run(["web", "-setTokenLifetime", "10"]);
    expect(token).toEqual({
      code: 0,
      stdout: "Token Lifetime: 10 seconds\nRefresh Token Lifetime: 7200 seconds\n",
      stderr: "",
    });
    const refresh = await run(["web", "-setRefreshTokenLifetime", "3600"]);
    expect(refresh.stdout).toBe(
      "Token Lifetime: 10 seconds\nRefresh Token Lifetime: 3600 seconds\n",
    );
    const both = await run(["web", "-setTokenLifetime", "120", "-setRefreshTokenLifetime", "7200"]);
    expect(both.stdout).toBe("Token Lifetime: 120 seconds\nRefresh Token Lifetime: 7200 seconds\n");
    expect((await run(["web", "-list"])).stdout.startsWith(header(120, 7200))).toBe(true);
  });

  it.each([
    [
      ["web", "-hcaptcha", "-add", "k", "-secret", "s", "-minScore", "1.5"],
      'approov: minScore must be a number between 0 and 1, got "1.5"',
    ],
    [
      ["web", "-fingerprint", "-add", "k", "-secret", "s", "-maxBotProbability", "x"],
      'approov: maxBotProbability must be a number between 0 and 1, got "x"',
    ],
    [
      ["web", "-recaptcha", "-add", "k", "-secret", "s", "-rateLimit", "-3"],
      'approov: rateLimit must be a whole number >= 0, got "-3"',
    ],
    [
      ["web", "-fingerprint", "-add", "k", "-secret", "s", "-region", "Asia"],
      'approov: region must be RoW or EU, got "Asia"',
    ],
    [
      ["web", "-fingerprint", "-add", "k", "-secret", "s", "-maxElapsedTime", "soon"],
      'approov: maxElapsedTime must be a duration in seconds (e.g. 2, 1.5) or with a unit (500ms, 2s, 5m, 1h), got "soon"',
    ],
    [
      ["web", "-hcaptcha", "-add", "k", "-secret", "s", "-maxResultLifetime", "1.5"],
      'approov: maxResultLifetime must be a whole number of seconds, got "1.5"',
    ],
    [
      ["web", "-setTokenLifetime", "0"],
      'approov: setTokenLifetime must be a whole number of seconds between 1 and 86400, got "0"',
    ],
    [
      ["web", "-setRefreshTokenLifetime", "2592001"],
      'approov: setRefreshTokenLifetime must be a whole number of seconds between 1 and 2592000, got "2592001"',
    ],
    [
      ["web", "-hcaptcha", "-add", "k"],
      "approov: -add needs -secret <secret> (the hcaptcha secret for that key)",
    ],
    [["web", "-hcaptcha", "-add", "k", "-secret"], "approov: -secret needs a value <secret>"],
    [
      ["web", "-hcaptcha", "-region", "EU", "-add", "k", "-secret", "s"],
      "approov: -region does not apply to -hcaptcha (only -fingerprint)",
    ],
    [
      ["web", "-hcaptcha", "-recaptcha", "-list"],
      "approov: use one of -hcaptcha, -recaptcha, -fingerprint, -turnstile at a time",
    ],
    [
      ["web", "-captcha", "-list"],
      'approov: unknown flag -captcha for "approov web" (see approov web -help)',
    ],
  ])("refuses %j with exit 2", async (args, message) => {
    const result = await run(args);
    expect(result).toEqual({ code: 2, stdout: "", stderr: `${message}\n` });
  });

  it("never lets a secret into attest's log", () => {
    for (const secret of SECRETS) expect(attest.output()).not.toContain(secret);
  });
});
