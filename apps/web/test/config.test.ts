import { ConfigError } from "@shapes/node-service";
import { HCAPTCHA_TEST_KEYS } from "@shapes/protocol";
import { describe, expect, it } from "vitest";
import { readWebConfig } from "../server/config.js";
import { configScript } from "../server/config-script.js";
import { contentSecurityPolicy } from "../server/csp.js";
import { fillPlaceholders } from "../server/fill-placeholders.js";

describe("readWebConfig", () => {
  it("defaults to the local services", () => {
    const config = readWebConfig({});
    expect(config).toMatchObject({
      port: 8000,
      hostname: "127.0.0.1",
      apiDomain: "localhost",
      apiBaseUrl: "http://localhost:8002",
      attestUrl: "http://localhost:8001/attest",
      approovSiteKey: undefined,
      hcaptchaSiteKey: HCAPTCHA_TEST_KEYS.publisher.siteKey,
      hcaptchaJsUrl: "http://localhost:8003/1/api.js",
      turnstileSiteKey: "1x00000000000000000000AA",
      turnstileJsUrl: "http://localhost:8003/turnstile/v0/api.js",
    });
    expect(config.distDir).toMatch(/apps[/\\]web[/\\]dist[/\\]?$/);
    // A deploy's build is fixed: cached files are served without the file system.
    expect(config.revalidateFiles).toBe(false);
  });

  it("WEB_REVALIDATE_FILES: 1 or 0, anything else refused", () => {
    expect(readWebConfig({ WEB_REVALIDATE_FILES: "1" }).revalidateFiles).toBe(true);
    expect(readWebConfig({ WEB_REVALIDATE_FILES: "0" }).revalidateFiles).toBe(false);
    expect(() => readWebConfig({ WEB_REVALIDATE_FILES: "yes" })).toThrow(
      'WEB_REVALIDATE_FILES must be 1 or 0, got "yes"',
    );
  });

  it("reads every setting from env", () => {
    const config = readWebConfig({
      WEB_PORT: "9000",
      HOST: "0.0.0.0",
      API_DOMAIN: "shapes.example.com",
      SHAPES_API_URL: "https://shapes.example.com/",
      ATTEST_URL: "https://attest.example.com/",
      APPROOV_SITE_KEY: "123a4567-abcd-12e3-9z8a-9b1234d54321",
      HCAPTCHA_SITE_KEY: "aaaaa12345",
      HCAPTCHA_JS_URL: "http://127.0.0.1:9003/1/api.js",
    });
    expect(config).toMatchObject({
      port: 9000,
      hostname: "0.0.0.0",
      apiDomain: "shapes.example.com",
      apiBaseUrl: "https://shapes.example.com",
      attestUrl: "https://attest.example.com/attest",
      approovSiteKey: "123a4567-abcd-12e3-9z8a-9b1234d54321",
      hcaptchaSiteKey: "aaaaa12345",
      hcaptchaJsUrl: "http://127.0.0.1:9003/1/api.js",
    });
  });

  it("keeps the real hCaptcha when HCAPTCHA_JS_URL is empty", () => {
    expect(readWebConfig({ HCAPTCHA_JS_URL: "" }).hcaptchaJsUrl).toBeUndefined();
  });

  it("refuses values that would break out of the page", () => {
    expect(() => readWebConfig({ HCAPTCHA_SITE_KEY: 'x" onclick="alert(1)' })).toThrow(
      /HCAPTCHA_SITE_KEY must be a site key/,
    );
    expect(() => readWebConfig({ APPROOV_SITE_KEY: "abc';alert(1)//" })).toThrow(ConfigError);
    expect(() => readWebConfig({ API_DOMAIN: "https://shapes.example.com" })).toThrow(
      /API_DOMAIN must be a host name/,
    );
    expect(() => readWebConfig({ ATTEST_URL: "javascript:alert(1)" })).toThrow(/ATTEST_URL/);
    expect(() => readWebConfig({ WEB_PORT: "eighty" })).toThrow(/WEB_PORT/);
    // A quote in the URL is percent-encoded, so it cannot end the src attribute.
    expect(readWebConfig({ HCAPTCHA_JS_URL: 'http://x/"><b>' }).hcaptchaJsUrl).toBe(
      "http://x/%22%3E%3Cb%3E",
    );
  });
});

describe("configScript", () => {
  it("assigns the page settings to window.SHAPES_CONFIG", () => {
    const script = configScript(
      readWebConfig({ API_DOMAIN: "api.test", SHAPES_API_URL: "http://api.test:1234" }),
    );
    expect(script.startsWith("window.SHAPES_CONFIG = ")).toBe(true);
    const json = script.slice("window.SHAPES_CONFIG = ".length).trim().replace(/;$/, "");
    expect(JSON.parse(json)).toEqual({
      apiDomain: "api.test",
      apiBaseUrl: "http://api.test:1234",
      attestUrl: "http://localhost:8001/attest",
      approovHost: "http://localhost:8001",
    });
  });
});

describe("contentSecurityPolicy", () => {
  const directives = (csp: string) =>
    Object.fromEntries(
      csp.split("; ").map((directive) => {
        const [name, ...values] = directive.split(" ");
        return [name, values.join(" ")];
      }),
    );

  it("allows the local sandbox, attest and API origins", () => {
    expect(directives(contentSecurityPolicy(readWebConfig({})))).toEqual({
      "default-src": "'self'",
      "script-src": "'self' http://localhost:8003",
      "frame-src": "http://localhost:8003",
      "connect-src": "'self' http://localhost:8001 http://localhost:8002 http://localhost:8003",
      "img-src": "'self' data:",
      "style-src": "'self' http://localhost:8003",
      "object-src": "'none'",
      "base-uri": "'self'",
      "frame-ancestors": "'none'",
    });
  });

  it("allows the real services' hosts when the pages keep the real scripts", () => {
    const csp = directives(
      contentSecurityPolicy(
        readWebConfig({
          HCAPTCHA_JS_URL: "",
          RECAPTCHA_JS_URL: "",
          FINGERPRINT_AGENT_URL: "",
          TURNSTILE_JS_URL: "",
          ATTEST_URL: "https://web-1.approovr.io",
          SHAPES_API_URL: "https://shapes.approov.io",
        }),
      ),
    );
    const hcaptcha = "https://hcaptcha.com https://*.hcaptcha.com";
    const recaptchaScripts = "https://www.google.com/recaptcha/ https://www.gstatic.com/recaptcha/";
    const recaptchaFrames =
      "https://www.google.com/recaptcha/ https://recaptcha.google.com/recaptcha/";
    const turnstile = "https://challenges.cloudflare.com";
    expect(csp["script-src"]).toBe(
      `'self' ${hcaptcha} ${recaptchaScripts} https://fpjscdn.net ${turnstile}`,
    );
    expect(csp["frame-src"]).toBe(`${hcaptcha} ${recaptchaFrames} ${turnstile}`);
    expect(csp["style-src"]).toBe(`'self' ${hcaptcha}`);
    expect(csp["connect-src"]).toBe(
      `'self' https://web-1.approovr.io https://shapes.approov.io ${hcaptcha} https://api.fpjs.io https://*.api.fpjs.io ${turnstile}`,
    );
    // No inline script or style is ever allowed.
    expect(JSON.stringify(csp)).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it("lists an origin once when services share it", () => {
    const csp = contentSecurityPolicy(
      readWebConfig({
        ATTEST_URL: "http://localhost:8002",
        SHAPES_API_URL: "http://localhost:8002",
      }),
    );
    expect(csp).toContain("connect-src 'self' http://localhost:8002 http://localhost:8003;");
  });
});

describe("fillPlaceholders", () => {
  const config = {
    hcaptchaSiteKey: "site-key",
    approovSiteKey: "approov-key",
    hcaptchaJsUrl: "http://localhost:8003/1/api.js",
    recaptchaSiteKey: "recaptcha-key",
    recaptchaJsUrl: "http://localhost:8003/recaptcha/api.js",
    fingerprintPublicApiKey: "fp-key",
    fingerprintAgentUrl: "http://localhost:8003/fingerprint/v3/",
    turnstileSiteKey: "turnstile-key",
    turnstileJsUrl: "http://localhost:8003/turnstile/v0/api.js",
  };

  it("maps the quickstart's and vanilla-hcaptcha's script URLs to the sandbox", () => {
    const page =
      '<script src="https://hcaptcha.com/1/api.js"></script><h-captcha jsapi="https://js.hcaptcha.com/1/api.js" site-key="___HCAPTCHA_SITE_KEY___">';
    expect(fillPlaceholders(page, config)).toBe(
      '<script src="http://localhost:8003/1/api.js"></script><h-captcha jsapi="http://localhost:8003/1/api.js" site-key="site-key">',
    );
  });

  it("keeps both real URLs when no sandbox is configured", () => {
    const page = "https://hcaptcha.com/1/api.js https://js.hcaptcha.com/1/api.js";
    expect(fillPlaceholders(page, { ...config, hcaptchaJsUrl: undefined })).toBe(page);
  });

  it("fills the reCAPTCHA and Fingerprint keys and maps their scripts", () => {
    const page =
      '<script src="https://www.google.com/recaptcha/api.js?render=___RECAPTCHA_SITE_KEY___"></script>' +
      "import('https://fpjscdn.net/v3/' + '___FINGERPRINT_PUBLIC_API_KEY___')";
    expect(fillPlaceholders(page, config)).toBe(
      '<script src="http://localhost:8003/recaptcha/api.js?render=recaptcha-key"></script>' +
        "import('http://localhost:8003/fingerprint/v3/' + 'fp-key')",
    );
    const real = { ...config, recaptchaJsUrl: undefined, fingerprintAgentUrl: undefined };
    expect(fillPlaceholders(page, real)).toContain(
      "https://www.google.com/recaptcha/api.js?render=recaptcha-key",
    );
    expect(fillPlaceholders(page, real)).toContain("https://fpjscdn.net/v3/");
  });

  it("fills the Turnstile key and maps Cloudflare's script to the sandbox", () => {
    const page =
      '<script src="https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit"></script>' +
      '<div class="cf-turnstile" data-sitekey="___TURNSTILE_SITE_KEY___"></div>';
    expect(fillPlaceholders(page, config)).toBe(
      '<script src="http://localhost:8003/turnstile/v0/api.js?render=explicit"></script>' +
        '<div class="cf-turnstile" data-sitekey="turnstile-key"></div>',
    );
    expect(fillPlaceholders(page, { ...config, turnstileJsUrl: undefined })).toContain(
      "https://challenges.cloudflare.com/turnstile/v0/api.js",
    );
  });
});

describe("WEB_DIST_DIR", () => {
  it("serves another copy of the site when set, the build output otherwise", () => {
    expect(readWebConfig({}).distDir).toMatch(/apps\/web\/dist\/$/);
    expect(readWebConfig({ WEB_DIST_DIR: "/tmp/site-copy" }).distDir).toBe("/tmp/site-copy/");
  });
});
