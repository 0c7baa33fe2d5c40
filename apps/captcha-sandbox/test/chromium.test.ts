import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "@playwright/test";
import { type RunningService, runService } from "@shapes/node-service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { SECRET } from "./helpers.js";

/** Runs api.js for real: the sandbox and a page on another origin, in headless Chromium. */

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const app = createApp();
let sandbox: RunningService;
let site: RunningService;
let browser: Browser;

const sitekey = crypto.randomUUID();

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
  };
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

interface HCaptchaGlobal {
  execute(options: { async: true }): Promise<{ response: string; key: string }>;
  execute(id: string, options: { async: true }): Promise<{ response: string; key: string }>;
  getResponse(id?: string): string;
  reset(id?: string): void;
  remove(id?: string): void;
}

declare global {
  interface Window {
    hcaptcha: HCaptchaGlobal;
  }
}
