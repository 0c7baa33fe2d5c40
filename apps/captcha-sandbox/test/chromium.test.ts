import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "@playwright/test";
import { type RunningService, runService } from "@shapes/node-service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { FP_SECRET, RECAPTCHA_SECRET, SECRET } from "./helpers.js";

/** Runs api.js for real: the sandbox and a page on another origin, in headless Chromium. */

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const app = createApp();
let sandbox: RunningService;
let site: RunningService;
let browser: Browser;

const sitekey = crypto.randomUUID();
/** reCAPTCHA site keys of this run: one loaded as v3 (render=<key>), one for v2 widgets. */
const v3Key = `6Lv3${crypto.randomUUID().replaceAll("-", "")}`;
const v2Key = `6Lv2${crypto.randomUUID().replaceAll("-", "")}`;
const fpPublicKey = "SandboxPublicKey2024";
/** A Turnstile widget's sitekey (not a testing one: its tokens are the sandbox's own). */
const turnstileKey = "0x4AAAAAAASandboxChromium";
const TURNSTILE_SECRET = "0x4AAAAAAASandboxChromiumSecret_01";

function pages(sandboxUrl: string): Record<string, string> {
  const api = `${sandboxUrl}/1/api.js`;
  const head = `<!doctype html><html><head><meta charset="utf-8"><title>t</title><script>
    window.tokens = []; window.events = [];
    function onToken(token) { window.tokens.push(token); }
    function onExpired() { window.events.push("expired"); }
  </script>`;
  return {
    "/button": `${head}<script src="${api}" async defer></script></head><body>
      <button id="shape" class="h-captcha" type="button" data-sitekey="${sitekey}"
        data-callback="onToken">Shape</button></body></html>`,
    "/checkbox": `${head}<script src="${api}" async defer></script></head><body>
      <form id="form"><div id="box" class="h-captcha" data-sitekey="${sitekey}"
        data-callback="onToken" data-expired-callback="onExpired"></div></form></body></html>`,
    "/explicit": `${head}<script>
      function cb() {
        window.loaded = hcaptcha.render("box", { sitekey: "${sitekey}", size: "invisible",
          callback: function (token) { window.tokens.push(token); } });
      }
    </script><script src="${api}?render=explicit&onload=cb" async defer></script></head><body>
      <div id="box"></div><div class="h-captcha" data-sitekey="${sitekey}"></div></body></html>`,
    "/recaptcha-v3": `${head}<script src="${sandboxUrl}/recaptcha/api.js?render=${v3Key}"></script>
      <script>
        window.submit = () => new Promise((resolve, reject) => {
          grecaptcha.ready(() => {
            grecaptcha.execute("${v3Key}", { action: "submit" }).then(resolve, reject);
          });
        });
      </script></head><body><p>v3</p></body></html>`,
    "/recaptcha-v2": `${head}<script src="${sandboxUrl}/recaptcha/api.js?onload=loaded" async defer>
      </script><script>function loaded() { window.apiLoaded = true; }</script></head><body>
      <form><div id="box" class="g-recaptcha" data-sitekey="${v2Key}" data-callback="onToken"
        data-expired-callback="onExpired"></div>
      <button id="invisible" class="g-recaptcha" data-sitekey="${v2Key}"
        data-callback="onToken">Go</button>
      <button id="scored" class="g-recaptcha" data-sitekey="${v3Key}" data-action="login"
        data-callback="onToken">Login</button></form></body></html>`,
    "/turnstile-implicit": `${head}<script src="${sandboxUrl}/turnstile/v0/api.js" async defer>
      </script></head><body><form id="form"><div id="widget" class="cf-turnstile"
        data-sitekey="${turnstileKey}" data-action="login" data-cdata="c42"
        data-callback="onToken" data-expired-callback="onExpired"></div></form>
      <div id="blocked" class="cf-turnstile" data-sitekey="2x00000000000000000000AB"
        data-error-callback="onBlocked"></div>
      <script>function onBlocked(code) { window.events.push("error:" + code); }</script>
      </body></html>`,
    "/turnstile-explicit": `${head}<script>
      function ready() {
        window.widgetId = turnstile.render("#box", { sitekey: "${turnstileKey}",
          execution: "execute", callback: function (token) { window.tokens.push(token); } });
      }
    </script><script src="${sandboxUrl}/turnstile/v0/api.js?render=explicit&onload=ready"
      async defer></script></head><body><div id="box"></div>
      <div class="cf-turnstile" data-sitekey="${turnstileKey}"></div></body></html>`,
    // As the quickstart does with https://fpjscdn.net/v3/<key>.
    "/fingerprint": `${head}<script>
      const agent = import("${sandboxUrl}/fingerprint/v3/${fpPublicKey}")
        .then((FingerprintJS) => FingerprintJS.load({ region: "eu" }));
      window.fpGet = async (times) => {
        const fp = await agent;
        const results = [];
        for (let i = 0; i < times; i++) results.push(await fp.get());
        return results;
      };
    </script></head><body><p>fingerprint</p></body></html>`,
  };
}

async function setV3Score(score: number) {
  const answer = await fetch(`${sandbox.url}/__sandbox/recaptcha/score`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ siteKey: v3Key, score }),
  });
  expect(answer.status).toBe(200);
}

async function recaptchaVerify(response: string) {
  const answer = await fetch(`${sandbox.url}/recaptcha/api/siteverify`, {
    method: "POST",
    body: new URLSearchParams({ secret: RECAPTCHA_SECRET, response }),
  });
  return (await answer.json()) as Record<string, unknown>;
}

async function verify(response: string) {
  const answer = await fetch(`${sandbox.url}/siteverify`, {
    method: "POST",
    body: new URLSearchParams({ secret: SECRET, response, sitekey }),
  });
  return (await answer.json()) as Record<string, unknown>;
}

/** Uncaught errors of the pages under test, asserted empty at the end of each test. */
let pageErrors: string[] = [];

async function open(path: string, fakeClock = false): Promise<Page> {
  pageErrors = [];
  const page = await browser.newPage();
  page.setDefaultTimeout(10_000);
  page.on("pageerror", (error) => pageErrors.push(error.message));
  // Playwright's fake clock lets the test reach the 120 s token expiry without waiting.
  if (fakeClock) await page.clock.install();
  await page.goto(`${site.url}${path}`);
  return page;
}

beforeAll(async () => {
  sandbox = await runService({ name: "sandbox", fetch: app.fetch, port: 0, handleSignals: false });
  const html = pages(sandbox.url);
  site = await runService({
    name: "page",
    port: 0,
    handleSignals: false,
    fetch: (request) => {
      const body = html[new URL(request.url).pathname];
      return body === undefined
        ? new Response("not found", { status: 404 })
        : new Response(body, { headers: { "Content-Type": "text/html; charset=utf-8" } });
    },
  });
  browser = await chromium.launch({
    headless: true,
    ...(existsSync(executablePath) ? { executablePath } : {}),
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await sandbox?.close();
});

describe("api.js in Chromium", () => {
  it("renders a .h-captcha button invisibly: click -> callback(token), verifiable once", async () => {
    const page = await open("/button");
    expect(new URL(site.url).origin).not.toBe(new URL(sandbox.url).origin);
    await page.waitForFunction(() => document.querySelector("textarea[name=h-captcha-response]"));
    await expect(page.locator("iframe").count()).resolves.toBe(0);
    await page.click("#shape");
    await page.waitForFunction(() => (window as unknown as { tokens: string[] }).tokens.length > 0);
    const [token] = await page.evaluate(() => (window as unknown as { tokens: string[] }).tokens);
    expect(token).toMatch(/^P1_/);
    expect(await page.evaluate(() => window.hcaptcha.getResponse())).toBe(token);

    expect(await verify(token as string)).toMatchObject({ success: true, hostname: "127.0.0.1" });
    expect(await verify(token as string)).toMatchObject({
      success: false,
      "error-codes": ["already-seen-response"],
    });

    // A second click is a second, different token.
    await page.click("#shape");
    await page.waitForFunction(() => (window as unknown as { tokens: string[] }).tokens.length > 1);
    const tokens = await page.evaluate(() => (window as unknown as { tokens: string[] }).tokens);
    expect(tokens[1]).not.toBe(token);
    await page.close();
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it("renders a visible checkbox: ticking it calls back and fills h-captcha-response", async () => {
    const page = await open("/checkbox", true);
    const frame = page.frameLocator("#box iframe");
    const box = page.locator("#box iframe");
    await expect(box.getAttribute("src")).resolves.toContain(`${sandbox.url}/1/checkbox.html?`);
    expect(await box.evaluate((f: HTMLIFrameElement) => [f.width, f.height])).toEqual([
      "303",
      "78",
    ]);
    await expect(frame.getByText("hCaptcha sandbox", { exact: true }).count()).resolves.toBe(1);
    const pending = page.evaluate(() => window.hcaptcha.execute({ async: true }));
    await frame.getByRole("checkbox", { name: "I am human" }).click();
    await page.waitForFunction(() => (window as unknown as { tokens: string[] }).tokens.length > 0);
    const [token] = await page.evaluate(() => (window as unknown as { tokens: string[] }).tokens);
    expect(token).toMatch(/^P1_/);
    expect(await pending).toEqual({ response: token, key: expect.stringMatching(/^E0_/) });
    const textarea = page.locator("#box textarea[name=h-captcha-response]");
    await expect(textarea.inputValue()).resolves.toBe(token);
    await expect(frame.getByText("Verified").count()).resolves.toBe(1);
    expect(await verify(token as string)).toMatchObject({ success: true });

    // 120 s later the token expires: expired-callback, empty response, checkbox unticked.
    await page.clock.fastForward(119_000);
    expect(await page.evaluate(() => window.hcaptcha.getResponse())).toBe(token);
    await page.clock.fastForward(1_000);
    await page.waitForFunction(() => (window as unknown as { events: string[] }).events.length > 0);
    expect(await page.evaluate(() => (window as unknown as { events: string[] }).events)).toEqual([
      "expired",
    ]);
    expect(await page.evaluate(() => window.hcaptcha.getResponse())).toBe("");
    await expect(textarea.inputValue()).resolves.toBe("");
    await frame.getByText("Expired, check again").waitFor();

    // Ticking again issues a new token; reset() clears it.
    await frame.getByRole("checkbox", { name: "I am human" }).click();
    await page.waitForFunction(() => (window as unknown as { tokens: string[] }).tokens.length > 1);
    await expect(textarea.inputValue()).resolves.toMatch(/^P1_/);
    await page.evaluate(() => window.hcaptcha.reset());
    await expect(textarea.inputValue()).resolves.toBe("");
    expect(await page.evaluate(() => window.hcaptcha.getResponse())).toBe("");
    await page.close();
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it("render=explicit&onload=cb calls cb, which renders, and execute({async}) works", async () => {
    const page = await open("/explicit");
    await page.waitForFunction(
      () => typeof (window as unknown as { loaded?: string }).loaded === "string",
    );
    // Explicit mode leaves markup alone.
    expect(await page.locator(".h-captcha[data-hcaptcha-widget-id]").count()).toBe(0);
    const result = await page.evaluate(() => window.hcaptcha.execute({ async: true }));
    expect(result).toEqual({
      response: expect.stringMatching(/^P1_/),
      key: expect.stringMatching(/^E0_/),
    });
    const tokens = await page.evaluate(() => (window as unknown as { tokens: string[] }).tokens);
    expect(tokens).toEqual([result.response]);
    expect(await verify(result.response)).toMatchObject({ success: true });

    const errors = await page.evaluate(async () => {
      const { hcaptcha } = window;
      const reasons: string[] = [];
      await hcaptcha.execute("no-such-id", { async: true }).catch((e: Error) => {
        reasons.push(e.message);
      });
      hcaptcha.remove();
      await hcaptcha.execute({ async: true }).catch((e: Error) => {
        reasons.push(e.message);
      });
      return reasons;
    });
    expect(errors).toEqual(["invalid-captcha-id", "missing-captcha"]);
    await page.close();
    expect(pageErrors).toEqual([]);
  }, 60_000);
});

describe("recaptcha/api.js in Chromium", () => {
  it("render=<siteKey>: ready -> execute(siteKey, {action}) -> a v3 token with score and action", async () => {
    // The score control applies to tokens issued after it.
    await setV3Score(0.3);
    const page = await open("/recaptcha-v3");
    const token = await page.evaluate(() =>
      (window as unknown as { submit(): Promise<string> }).submit(),
    );
    expect(token).toMatch(/^03A/);
    expect(await page.evaluate(() => window.grecaptcha.getResponse())).toBe(token);
    await expect(page.locator(".grecaptcha-badge").textContent()).resolves.toContain(
      "reCAPTCHA sandbox",
    );
    expect(await recaptchaVerify(token)).toEqual({
      success: true,
      challenge_ts: expect.stringMatching(/Z$/),
      hostname: "127.0.0.1",
      score: 0.3,
      action: "submit",
    });
    expect(await recaptchaVerify(token)).toEqual({
      success: false,
      "error-codes": ["timeout-or-duplicate"],
    });
    // A site key the page did not load is refused, as Google does.
    const refused = await page.evaluate(() =>
      window.grecaptcha.execute("6Lnotloaded", { action: "x" }).then(
        () => "resolved",
        (error: Error) => error.message,
      ),
    );
    expect(refused).toBe("Invalid site key or not loaded in api.js: 6Lnotloaded");
    await page.close();
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it("a v2 checkbox: ticking calls back and fills g-recaptcha-response; buttons run invisibly", async () => {
    const page = await open("/recaptcha-v2", true);
    await page.waitForFunction(() => (window as unknown as { apiLoaded?: boolean }).apiLoaded);
    const box = page.locator("#box iframe");
    await expect(box.getAttribute("src")).resolves.toContain(
      `${sandbox.url}/recaptcha/checkbox.html?`,
    );
    expect(await box.evaluate((f: HTMLIFrameElement) => [f.width, f.height])).toEqual([
      "304",
      "78",
    ]);
    const frame = page.frameLocator("#box iframe");
    await frame.getByRole("checkbox", { name: "I'm not a robot" }).click();
    await page.waitForFunction(() => (window as unknown as { tokens: string[] }).tokens.length > 0);
    const [token] = await page.evaluate(() => (window as unknown as { tokens: string[] }).tokens);
    expect(token).toMatch(/^03A/);
    await expect(page.locator("#g-recaptcha-response").inputValue()).resolves.toBe(token);
    expect(await page.evaluate(() => window.grecaptcha.getResponse(0))).toBe(token);
    expect(await recaptchaVerify(token as string)).toEqual({
      success: true,
      challenge_ts: expect.any(String),
      hostname: "127.0.0.1",
    });

    // 2 minutes later the token expires: expired-callback, empty response, box unticked.
    await page.clock.fastForward(120_000);
    await page.waitForFunction(() => (window as unknown as { events: string[] }).events.length > 0);
    expect(await page.evaluate(() => window.grecaptcha.getResponse(0))).toBe("");
    await frame.getByText("Expired, check again").waitFor();

    // The plain .g-recaptcha button is an invisible v2 client; with data-action it is v3.
    await setV3Score(0.3);
    await page.click("#invisible");
    await page.waitForFunction(() => (window as unknown as { tokens: string[] }).tokens.length > 1);
    await page.click("#scored");
    await page.waitForFunction(() => (window as unknown as { tokens: string[] }).tokens.length > 2);
    const [, v2Token, v3Token] = await page.evaluate(
      () => (window as unknown as { tokens: string[] }).tokens,
    );
    const v2 = await recaptchaVerify(v2Token as string);
    expect(v2).toMatchObject({ success: true, hostname: "127.0.0.1" });
    expect(v2).not.toHaveProperty("score");
    expect(await recaptchaVerify(v3Token as string)).toMatchObject({
      success: true,
      score: 0.3,
      action: "login",
    });
    await expect(page.locator("textarea[name=g-recaptcha-response]").count()).resolves.toBe(3);
    await page.evaluate(() => window.grecaptcha.reset(1));
    expect(await page.evaluate(() => window.grecaptcha.getResponse(1))).toBe("");
    await page.close();
    expect(pageErrors).toEqual([]);
  }, 60_000);
});

async function turnstileVerify(response: string) {
  const answer = await fetch(`${sandbox.url}/turnstile/v0/siteverify`, {
    method: "POST",
    body: new URLSearchParams({ secret: TURNSTILE_SECRET, response }),
  });
  return (await answer.json()) as Record<string, unknown>;
}

describe("turnstile/v0/api.js in Chromium", () => {
  it("renders .cf-turnstile at once: callback(token), the hidden field, getResponse; a blocking key errors", async () => {
    const page = await open("/turnstile-implicit", true);
    await page.waitForFunction(() => window.tokens.length === 1);
    const token = await page.evaluate(() => window.tokens[0] as string);
    expect(await page.inputValue('#widget input[name="cf-turnstile-response"]')).toBe(token);
    expect(await page.evaluate(() => window.turnstile.getResponse("#widget"))).toBe(token);
    expect(await page.evaluate(() => window.turnstile.isExpired("#widget"))).toBe(false);
    await page.waitForFunction(() => window.events.includes("error:600010"));
    expect(await turnstileVerify(token)).toMatchObject({
      success: true,
      hostname: "127.0.0.1",
      action: "login",
      cdata: "c42",
    });
    // 300 s later the token has expired: expired-callback, isExpired, and a fresh run.
    await page.clock.fastForward(300_000);
    await page.waitForFunction(() => window.events.includes("expired"));
    await page.waitForFunction(() => window.tokens.length === 2);
    const renewed = await page.evaluate(() => window.tokens[1] as string);
    expect(renewed).not.toBe(token);
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it("render=explicit&onload: render, execute, reset, remove; nothing rendered implicitly", async () => {
    const page = await open("/turnstile-explicit");
    await page.waitForFunction(() => typeof window.widgetId === "string");
    expect(await page.locator("[data-turnstile-widget-id]").count()).toBe(1);
    // execution: "execute" waits for execute().
    expect(
      await page.evaluate(() => window.turnstile.getResponse(window.widgetId)),
    ).toBeUndefined();
    await page.evaluate(() => window.turnstile.execute(window.widgetId));
    await page.waitForFunction(() => window.tokens.length === 1);
    await page.evaluate(() => window.turnstile.reset(window.widgetId));
    expect(
      await page.evaluate(() => window.turnstile.getResponse(window.widgetId)),
    ).toBeUndefined();
    expect(await page.inputValue('#box input[name="cf-turnstile-response"]')).toBe("");
    await page.evaluate(() => window.turnstile.remove(window.widgetId));
    expect(await page.locator("#box input").count()).toBe(0);
    expect(
      await page.evaluate(() => {
        try {
          window.turnstile.getResponse(window.widgetId);
          return "no error";
        } catch (error) {
          return (error as Error).message;
        }
      }),
    ).toContain("Invalid widget id");
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});

describe("the Fingerprint agent in Chromium", () => {
  interface FpResult {
    visitorId: string;
    requestId: string;
    confidence: { score: number };
    visitorFound: boolean;
  }

  /** Calls the page's agent (imported by the page itself) `times` times. */
  function getResults(page: Page, times: number): Promise<FpResult[]> {
    return page.evaluate(
      (n) => (window as unknown as { fpGet(n: number): Promise<FpResult[]> }).fpGet(n),
      times,
    );
  }

  it("stable visitorId per browser context, new requestId per get(); the events API has the event", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    pageErrors = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(`${site.url}/fingerprint`);
    const [first, second] = await getResults(page, 2);
    expect(first).toEqual({
      visitorId: expect.stringMatching(/^[A-Za-z0-9]{20}$/),
      requestId: expect.stringMatching(/^\d+\.[A-Za-z0-9]{6}$/),
      confidence: { score: 1 },
      visitorFound: false,
    });
    expect(second?.visitorId).toBe(first?.visitorId);
    expect(second?.requestId).not.toBe(first?.requestId);
    expect(second?.visitorFound).toBe(true);

    // Another page of the same context shares the origin's storage: the same visitor.
    const samePage = await context.newPage();
    await samePage.goto(`${site.url}/fingerprint`);
    const [same] = await getResults(samePage, 1);
    expect(same?.visitorId).toBe(first?.visitorId);

    // Another browser context is another visitor.
    const otherContext = await browser.newContext();
    const otherPage = await otherContext.newPage();
    await otherPage.goto(`${site.url}/fingerprint`);
    const [other] = await getResults(otherPage, 1);
    expect(other?.visitorId).not.toBe(first?.visitorId);
    expect(other?.visitorFound).toBe(false);

    const answer = await fetch(`${sandbox.url}/fingerprint/eu-api/events/${first?.requestId}`, {
      headers: { "Auth-API-Key": FP_SECRET },
    });
    expect(answer.status).toBe(200);
    const event = (await answer.json()) as {
      products: { identification: { data: Record<string, unknown> }; botd: unknown };
    };
    expect(event.products.identification.data).toMatchObject({
      visitorId: first?.visitorId,
      requestId: first?.requestId,
      url: `${site.url}/fingerprint`,
      ip: "127.0.0.1",
      incognito: false,
      replayed: false,
      browserDetails: { browserName: expect.stringMatching(/^Chrome/), os: "Linux" },
    });
    expect(event.products.botd).toMatchObject({ data: { bot: { result: "notDetected" } } });
    // Not in the RoW region.
    const elsewhere = await fetch(`${sandbox.url}/fingerprint/api/events/${first?.requestId}`, {
      headers: { "Auth-API-Key": FP_SECRET },
    });
    expect(elsewhere.status).toBe(404);
    await context.close();
    await otherContext.close();
    expect(pageErrors).toEqual([]);
  }, 60_000);
});

interface HCaptchaGlobal {
  execute(options: { async: true }): Promise<{ response: string; key: string }>;
  execute(id: string, options: { async: true }): Promise<{ response: string; key: string }>;
  getResponse(id?: string): string;
  reset(id?: string): void;
  remove(id?: string): void;
}

interface GRecaptchaGlobal {
  ready(callback: () => void): void;
  execute(siteKey: string, options: { action: string }): Promise<string>;
  getResponse(id?: number): string;
  reset(id?: number): void;
}

interface TurnstileGlobal {
  render(container: string | HTMLElement, params: Record<string, unknown>): string;
  execute(idOrContainer: string): void;
  reset(idOrContainer: string): void;
  remove(idOrContainer: string): void;
  getResponse(idOrContainer?: string): string | undefined;
  isExpired(idOrContainer?: string): boolean;
}

declare global {
  interface Window {
    hcaptcha: HCaptchaGlobal;
    grecaptcha: GRecaptchaGlobal;
    turnstile: TurnstileGlobal;
    widgetId: string;
    /** What the test pages' callbacks recorded. */
    tokens: string[];
    events: string[];
  }
}
