import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { loadBrowserAssets } from "../src/browser-assets.js";

describe("browser files", () => {
  it("serves api.js as JavaScript with CORS * and no-store", async () => {
    const answer = await createApp().request("/1/api.js?render=explicit&onload=cb", {
      headers: { Origin: "http://localhost:8000" },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("application/javascript; charset=utf-8");
    expect(answer.headers.get("access-control-allow-origin")).toBe("*");
    expect(answer.headers.get("cache-control")).toBe("no-store");
    const source = await answer.text();
    expect(source).toBe(loadBrowserAssets().apiJs);
    expect(source).toContain("window.hcaptcha =");
  });

  it("serves the checkbox iframe with a CSP that allows only its own script", async () => {
    const app = createApp();
    const page = await app.request("/1/checkbox.html?sitekey=k&id=1&origin=http%3A%2F%2Fa");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain("I am human");
    expect(html).toContain("hCaptcha sandbox");
    expect(html).toContain('<script src="/1/checkbox.js"></script>');
    const script = await app.request("/1/checkbox.js");
    expect(script.headers.get("content-type")).toBe("application/javascript; charset=utf-8");
    expect(await script.text()).toContain("postMessage");
  });

  it("answers /healthz and a JSON 404 elsewhere", async () => {
    const app = createApp();
    const health = await app.request("/healthz");
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const missing = await app.request("/1/nothing");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: "not-found" });
  });

  it("is valid script that parses", () => {
    const { apiJs, checkboxJs, recaptchaApiJs, recaptchaCheckboxJs } = loadBrowserAssets();
    for (const source of [apiJs, checkboxJs, recaptchaApiJs, recaptchaCheckboxJs]) {
      expect(() => new Function(source)).not.toThrow();
    }
  });

  it("serves recaptcha/api.js as JavaScript with CORS * and no-store", async () => {
    const answer = await createApp().request("/recaptcha/api.js?render=site", {
      headers: { Origin: "http://localhost:8000" },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("application/javascript; charset=utf-8");
    expect(answer.headers.get("access-control-allow-origin")).toBe("*");
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(await answer.text()).toContain("window.grecaptcha =");
  });

  it("serves the reCAPTCHA checkbox iframe with a CSP that allows only its own script", async () => {
    const app = createApp();
    const page = await app.request("/recaptcha/checkbox.html?sitekey=k&id=0");
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain("I'm not a robot");
    expect(html).toContain('<script src="/recaptcha/checkbox.js"></script>');
    const script = await app.request("/recaptcha/checkbox.js");
    expect(script.headers.get("content-type")).toBe("application/javascript; charset=utf-8");
    expect(await script.text()).toContain("/recaptcha/api2/execute");
  });

  it("the Fingerprint agent is an ES module whose load() checks the region", async () => {
    const { fingerprintAgentJs } = loadBrowserAssets();
    const url = `data:text/javascript;base64,${Buffer.from(fingerprintAgentJs).toString("base64")}`;
    const agent = (await import(url)) as {
      load(options?: { region?: string }): Promise<{ get(): Promise<unknown> }>;
      default: { load: unknown };
    };
    expect(agent.default.load).toBe(agent.load);
    await expect(agent.load({ region: "mars" })).rejects.toThrow(/Invalid region/);
    await expect(agent.load({ region: "eu" })).resolves.toHaveProperty("get");
  });
});
