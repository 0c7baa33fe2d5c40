import { rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HCAPTCHA_TEST_KEYS } from "@shapes/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../server/app.js";
import { BY_HAND, createFixtureDist, type FixtureDist, localConfig } from "./fixture-dist.js";

const TEST_KEY = HCAPTCHA_TEST_KEYS.publisher.siteKey;
let fixture: FixtureDist;

beforeAll(() => {
  fixture = createFixtureDist();
});
afterAll(() => fixture.remove());

describe("web server basics", () => {
  it("answers /healthz", async () => {
    const res = await createApp(localConfig(fixture.distDir)).request("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("serves /config.js from the configuration, never cached", async () => {
    const app = createApp(
      localConfig(fixture.distDir, {
        API_DOMAIN: "shapes.example.com",
        SHAPES_API_URL: "https://shapes.example.com",
        ATTEST_URL: "https://attest.example.com",
      }),
    );
    const res = await app.request("/config.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/javascript/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const sandbox: { window: { SHAPES_CONFIG?: unknown } } = { window: {} };
    new Function("window", await res.text())(sandbox.window);
    expect(sandbox.window.SHAPES_CONFIG).toEqual({
      apiDomain: "shapes.example.com",
      apiBaseUrl: "https://shapes.example.com",
      attestUrl: "https://attest.example.com/attest",
      approovHost: "https://attest.example.com",
    });
  });

  it("serves the home page with the security headers", async () => {
    const res = await createApp(localConfig(fixture.distDir)).request("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-security-policy")).toContain(
      "script-src 'self' http://localhost:8003",
    );
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(await res.text()).toContain('href="approov-hcaptcha-protected/"');
  });

  it("answers HEAD like GET, without a body", async () => {
    const res = await createApp(localConfig(fixture.distDir)).request("/unprotected/", {
      method: "HEAD",
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await res.text()).toBe("");
  });

  it("redirects a variant directory to its trailing-slash URL", async () => {
    const res = await createApp(localConfig(fixture.distDir)).request("/unprotected");
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe("/unprotected/");
  });

  it("lets hashed assets be cached and sends the right types", async () => {
    const app = createApp(localConfig(fixture.distDir));
    const svg = await app.request("/assets/logo-AbC123.svg");
    expect(svg.status).toBe(200);
    expect(svg.headers.get("content-type")).toBe("image/svg+xml");
    expect(svg.headers.get("cache-control")).toContain("immutable");
    expect(await svg.text()).toContain("<svg");
    const js = await app.request("/unprotected/assets/js/app.js");
    expect(js.headers.get("content-type")).toMatch(/^application\/javascript/);
    expect(js.headers.get("cache-control")).toBe("no-store");
  });

  it("answers 404 for unknown paths and methods, with the security headers", async () => {
    const app = createApp(localConfig(fixture.distDir));
    const missing = await app.request("/nope.html");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect((await app.request("/", { method: "POST" })).status).toBe(404);
    expect((await app.request("/unprotected/assets/", {})).status).toBe(404);
  });
});

describe("placeholders", () => {
  it("fills the hCaptcha site key and maps the hCaptcha script in the protected page", async () => {
    const res = await createApp(localConfig(fixture.distDir)).request(
      "/approov-hcaptcha-protected/",
    );
    const html = await res.text();
    expect(html).not.toContain("___HCAPTCHA_SITE_KEY___");
    expect(html.match(new RegExp(`data-sitekey="${TEST_KEY}"`, "g"))).toHaveLength(2);
    expect(html).toContain(
      '</title>\n  <script src="http://localhost:8003/1/api.js" async defer></script>',
    );
    expect(html).not.toContain("https://hcaptcha.com/1/api.js");
  });

  it("fills both site keys in the protected app.js", async () => {
    const res = await createApp(localConfig(fixture.distDir)).request(
      "/approov-hcaptcha-protected/assets/js/app.js",
    );
    const js = await res.text();
    expect(js).toContain('const APPROOV_SITE_KEY = "local-approov-site-key";');
    expect(js).toContain(`const HCAPTCHA_SITE_KEY = "${TEST_KEY}";`);
    expect(js).not.toMatch(/___[A-Z_]+___/);
  });

  it("leaves the Approov placeholder when no Approov site key is configured", async () => {
    const config = { ...localConfig(fixture.distDir), approovSiteKey: undefined };
    const js = await (
      await createApp(config).request("/approov-hcaptcha-protected/assets/js/app.js")
    ).text();
    expect(js).toContain('const APPROOV_SITE_KEY = "___APPROOV_SITE_KEY___";');
    expect(js).toContain(`const HCAPTCHA_SITE_KEY = "${TEST_KEY}";`);
  });

  it("keeps the real hCaptcha script when HCAPTCHA_JS_URL is empty", async () => {
    const app = createApp(localConfig(fixture.distDir, { HCAPTCHA_JS_URL: "" }));
    const res = await app.request("/approov-hcaptcha-protected/");
    expect(await res.text()).toContain('<script src="https://hcaptcha.com/1/api.js" async defer>');
    expect(res.headers.get("content-security-policy")).toContain(
      "script-src 'self' https://hcaptcha.com https://*.hcaptcha.com",
    );
  });

  it("changes nothing in files whose placeholders were replaced by hand", async () => {
    const app = createApp(localConfig(fixture.distDir, { HCAPTCHA_JS_URL: "" }));
    const html = await (await app.request("/by-hand/")).text();
    expect(html).toContain(`data-sitekey="${BY_HAND.hcaptchaSiteKey}"`);
    expect(html).not.toContain(TEST_KEY);
    const js = await (await app.request("/by-hand/assets/js/app.js")).text();
    expect(js).toContain(`const APPROOV_SITE_KEY = "${BY_HAND.approovSiteKey}";`);
    expect(js).toContain(`const HCAPTCHA_SITE_KEY = "${BY_HAND.hcaptchaSiteKey}";`);
    expect(js).not.toContain("local-approov-site-key");
  });

  it("serves a rebuilt file's new content (the cache follows the file) with WEB_REVALIDATE_FILES=1", async () => {
    // npm run dev: the build changes under the running server.
    const app = createApp(localConfig(fixture.distDir, { WEB_REVALIDATE_FILES: "1" }));
    const page = join(fixture.distDir, "rebuilt.html");
    writeFileSync(page, "<p>old ___HCAPTCHA_SITE_KEY___</p>");
    expect(await (await app.request("/rebuilt.html")).text()).toBe(`<p>old ${TEST_KEY}</p>`);
    writeFileSync(page, "<p>new build ___HCAPTCHA_SITE_KEY___</p>");
    const later = new Date(Date.now() + 5_000);
    utimesSync(page, later, later);
    expect(await (await app.request("/rebuilt.html")).text()).toBe(`<p>new build ${TEST_KEY}</p>`);
    // ...and a removed file is gone at once.
    rmSync(page);
    expect((await app.request("/rebuilt.html")).status).toBe(404);
  });

  it("answers a cached file without the file system: it is still served once removed", async () => {
    // A deploy's build is fixed: after its first request a file is answered from memory,
    // no stat, no realpath, no read (so removing it changes nothing until a restart).
    const app = createApp(localConfig(fixture.distDir));
    const page = join(fixture.distDir, "cached.html");
    const image = join(fixture.distDir, "assets", "cached.svg");
    writeFileSync(page, "<p>cached ___HCAPTCHA_SITE_KEY___</p>");
    writeFileSync(image, "<svg/>");
    const first = await app.request("/cached.html");
    expect(await first.text()).toBe(`<p>cached ${TEST_KEY}</p>`);
    expect(await (await app.request("/assets/cached.svg")).text()).toBe("<svg/>");
    rmSync(page);
    rmSync(image);
    const again = await app.request("/cached.html");
    expect(again.status).toBe(200);
    expect(await again.text()).toBe(`<p>cached ${TEST_KEY}</p>`);
    expect(again.headers.get("content-type")).toBe(first.headers.get("content-type"));
    expect(again.headers.get("cache-control")).toBe("no-store");
    const svg = await app.request("/assets/cached.svg");
    expect(svg.status).toBe(200);
    expect(svg.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    // A file never served is still looked up (and missing is not cached).
    expect((await app.request("/never-there.html")).status).toBe(404);
  });
});

describe("path traversal", () => {
  const attempts = [
    "/../outside.txt",
    "/%2e%2e/outside.txt",
    "/%2e%2e%2foutside.txt",
    "/..%2foutside.txt",
    "/assets/..%2f..%2foutside.txt",
    "/assets/%2e%2e%2f%2e%2e%2foutside.txt",
    "/..%5coutside.txt",
    "/assets/linked.txt",
    "/.env",
    "/%2eenv",
    "//outside.txt",
    "/index.html%00.txt",
    "/%E0%A4%A",
  ];

  it.each(attempts)("%s -> 404", async (path) => {
    const app = createApp(localConfig(fixture.distDir));
    const res = await app.request(`http://localhost${path}`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("must never be served");
  });
});
