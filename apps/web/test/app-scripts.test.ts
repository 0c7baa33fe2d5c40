import { readFileSync } from "node:fs";
import { join } from "node:path";
import { HCAPTCHA_TEST_KEYS } from "@shapes/protocol";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../server/app.js";
import { type FakeDocument, type FetchStub, loadPage } from "./fake-dom.js";
import { createFixtureDist, type FixtureDist, localConfig, SITE_DIR } from "./fixture-dist.js";

// Runs the real app.js files against a stub DOM and a scripted fetch, to check the behaviour
// the pages promise (Chromium drives the same pages in the e2e suite).

const SHAPES_CONFIG = {
  apiDomain: "api.test",
  apiBaseUrl: "http://api.test:8002",
  attestUrl: "http://attest.test:8001/attest",
};
const HCAPTCHA_TOKEN = HCAPTCHA_TEST_KEYS.publisher.response;

interface Call {
  url: string;
  method: string;
  headers: Headers;
  body: string;
}

/** A fetch that records each call and answers from `route`. */
function scriptedFetch(route: (call: Call) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetch: FetchStub = async (url, init) => {
    const call = {
      url,
      method: init?.method ?? "GET",
      headers: new Headers(init?.headers),
      body: init?.body === undefined ? "" : String(init.body),
    };
    calls.push(call);
    return route(call);
  };
  return { fetch, calls };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** Waits until the app shows a result: the hello view, a shape or the confused face. */
async function shown(document: FakeDocument): Promise<string> {
  return vi.waitFor(() => {
    const visible = ["hello", "shape", "confused"].filter((id) => !document.byId(id).hidden);
    expect(visible).toHaveLength(1);
    expect(document.byId("spinner").hidden).toBe(true);
    return visible[0] as string;
  });
}

describe("unprotected/assets/js/app.js", () => {
  const html = readFileSync(join(SITE_DIR, "unprotected/index.html"), "utf8");
  const script = readFileSync(join(SITE_DIR, "unprotected/assets/js/app.js"), "utf8");

  it("HELLO calls v1/hello and shows the hello view", async () => {
    const api = scriptedFetch(() => json({ text: "Hello, World!", status: "Hello, World!" }));
    const { document } = loadPage(html, script, api.fetch, SHAPES_CONFIG);
    document.byId("hello-button").click();
    expect(await shown(document)).toBe("hello");
    expect(document.byId("start-app").hidden).toBe(true);
    expect(api.calls).toHaveLength(1);
    expect(api.calls[0]?.url).toBe("http://api.test:8002/v1/hello");
    expect(api.calls[0]?.headers.get("accept")).toBe("application/json");
  });

  it("SHAPE draws the shape the API returns", async () => {
    const api = scriptedFetch(() => json({ shape: "Triangle", status: "Triangle" }));
    const { document } = loadPage(html, script, api.fetch, SHAPES_CONFIG);
    document.byId("shape-button").click();
    expect(await shown(document)).toBe("shape");
    expect(document.byId("shape").className).toBe("shape-triangle");
    expect(api.calls[0]?.url).toBe("http://api.test:8002/v1/shapes");
  });

  it("shows the confused face with the HTTP status and the API's message", async () => {
    const api = scriptedFetch(() => json({ status: "missing approov token" }, 400));
    const { document } = loadPage(html, script, api.fetch, SHAPES_CONFIG);
    document.byId("shape-button").click();
    expect(await shown(document)).toBe("confused");
    expect(document.byId("status").textContent).toBe("400: missing approov token");
  });

  it("shows the confused face when the API cannot be reached", async () => {
    const api = scriptedFetch(() => Promise.reject(new TypeError("Failed to fetch")));
    const { document } = loadPage(html, script, api.fetch, SHAPES_CONFIG);
    document.byId("hello-button").click();
    expect(await shown(document)).toBe("confused");
    expect(document.byId("status").textContent).toBe("Fetch from v1/hello failed: Failed to fetch");
  });

  it("clears the previous result before the next request", async () => {
    let answer = json({ status: "invalid approov token" }, 401);
    const api = scriptedFetch(() => answer);
    const { document } = loadPage(html, script, api.fetch, SHAPES_CONFIG);
    document.byId("shape-button").click();
    expect(await shown(document)).toBe("confused");
    answer = json({ shape: "Circle", status: "Circle" });
    document.byId("shape-button").click();
    expect(await shown(document)).toBe("shape");
    expect(document.byId("status").textContent).toBe("");
    expect(document.byId("shape").className).toBe("shape-circle");
  });

  it("falls back to the quickstart's public API without /config.js", async () => {
    const api = scriptedFetch(() => json({ text: "Hello, World!", status: "Hello, World!" }));
    const { document } = loadPage(html, script, api.fetch, undefined);
    document.byId("hello-button").click();
    await shown(document);
    expect(api.calls[0]?.url).toBe("https://shapes.approov.io/v1/hello");
  });

  it("toggles the navbar links", () => {
    const { document } = loadPage(html, script, scriptedFetch(() => json({})).fetch);
    const links = document.byId("example-collapse-navbar");
    expect(links.hidden).toBe(true);
    document.byId("toggle-navbar").click();
    expect(links.hidden).toBe(false);
    expect(links.classList.contains("block")).toBe(true);
  });
});

describe("approov-hcaptcha-protected/assets/js/app.js (served with its placeholders filled)", () => {
  let fixture: FixtureDist;
  let html: string;
  let script: string;

  beforeAll(async () => {
    fixture = createFixtureDist();
    const app = createApp(localConfig(fixture.distDir));
    html = await (await app.request("/approov-hcaptcha-protected/")).text();
    script = await (await app.request("/approov-hcaptcha-protected/assets/js/app.js")).text();
  });
  afterAll(() => fixture.remove());

  const attestThenApi = (attest: () => Response, api: () => Response) =>
    scriptedFetch((call) => (call.url === SHAPES_CONFIG.attestUrl ? attest() : api()));

  it("leaves the button clicks to hCaptcha", () => {
    const { document } = loadPage(html, script, scriptedFetch(() => json({})).fetch);
    expect(document.byId("hello-button").clickListenerCount).toBe(0);
    expect(document.byId("shape-button").clickListenerCount).toBe(0);
    expect(document.byId("toggle-navbar").clickListenerCount).toBe(1);
  });

  it("exchanges the hCaptcha token for an Approov token, then calls v2 with it", async () => {
    const calls = attestThenApi(
      () => new Response("header.payload.signature", { status: 200 }),
      () => json({ shape: "Circle", status: "Circle (approoved)" }),
    );
    const { document, globals } = loadPage(html, script, calls.fetch, SHAPES_CONFIG);
    // What hCaptcha does with data-callback='fetchShape' once the user is verified.
    (globals.fetchShape as (token: string) => void)(HCAPTCHA_TOKEN);
    expect(await shown(document)).toBe("shape");
    expect(document.byId("shape").className).toBe("shape-circle");

    const [attest, api] = calls.calls;
    expect(attest?.method).toBe("POST");
    expect(attest?.url).toBe("http://attest.test:8001/attest");
    expect(Object.fromEntries(new URLSearchParams(attest?.body))).toEqual({
      api: "api.test",
      "approov-site-key": "local-approov-site-key",
      "hcaptcha-site-key": HCAPTCHA_TEST_KEYS.publisher.siteKey,
      "hcaptcha-token": HCAPTCHA_TOKEN,
    });
    expect(api?.url).toBe("http://api.test:8002/v2/shapes");
    expect(api?.headers.get("approov-token")).toBe("header.payload.signature");
  });

  it("fetchHello calls v2/hello with an Approov token", async () => {
    const calls = attestThenApi(
      () => new Response("a.b.c"),
      () => json({ text: "Hello, World!", status: "Hello, World! (healthy)" }),
    );
    const { document, globals } = loadPage(html, script, calls.fetch, SHAPES_CONFIG);
    (globals.fetchHello as (token: string) => void)(HCAPTCHA_TOKEN);
    expect(await shown(document)).toBe("hello");
    expect(calls.calls[1]?.url).toBe("http://api.test:8002/v2/hello");
    expect(calls.calls[1]?.headers.get("approov-token")).toBe("a.b.c");
  });

  it("shows the confused face when the Approov token fetch fails", async () => {
    const calls = attestThenApi(
      () => json({ message: "bad request", errors: { "rqst-site-key-missing": "x" } }, 400),
      () => json({ shape: "Circle", status: "Circle (approoved)" }),
    );
    const { document, globals } = loadPage(html, script, calls.fetch, SHAPES_CONFIG);
    (globals.fetchShape as (token: string) => void)(HCAPTCHA_TOKEN);
    expect(await shown(document)).toBe("confused");
    expect(document.byId("status").textContent).toBe(
      "Fetch from v2/shapes failed: Failed to fetch an Approov Token",
    );
    expect(calls.calls).toHaveLength(1);
  });

  it("shows the API's refusal of a rejected token", async () => {
    const calls = attestThenApi(
      () => new Response("legit.looking.token"),
      () => json({ status: "invalid approov token" }, 401),
    );
    const { document, globals } = loadPage(html, script, calls.fetch, SHAPES_CONFIG);
    (globals.fetchShape as (token: string) => void)(HCAPTCHA_TOKEN);
    expect(await shown(document)).toBe("confused");
    expect(document.byId("status").textContent).toBe("401: invalid approov token");
  });
});
