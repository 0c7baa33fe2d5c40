import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../src/app.js";
import { SHAPES } from "../src/shapes.js";
import { nowSeconds, SECRET, signToken, WEB_ORIGIN } from "./helpers.js";

/** random() values that pick each shape in order (index = floor(r * 4)). */
const PICKS = [0, 0.25, 0.5, 0.99];

const app = createApp({ secret: SECRET, webOrigins: [WEB_ORIGIN], random: () => 0.5 });

/** The JSON bodies this API answers: every field is a string. */
type Body = Record<string, string>;

async function get(path: string, headers: Record<string, string> = {}, target = app) {
  const response = await target.request(path, { headers });
  const body = (await response.json()) as Body;
  return { status: response.status, body, headers: response.headers };
}

describe("unprotected routes", () => {
  it("GET /healthz", async () => {
    expect(await get("/healthz")).toMatchObject({ status: 200, body: { status: "ok" } });
  });

  it("GET /v1/hello", async () => {
    const { status, body } = await get("/v1/hello");
    expect(status).toBe(200);
    expect(body).toEqual({ text: "Hello, World!", status: "Hello, World!" });
  });

  it("GET /v2/hello", async () => {
    const { status, body } = await get("/v2/hello");
    expect(status).toBe(200);
    expect(body).toEqual({ text: "Hello, World!", status: "Hello, World! (healthy)" });
  });

  it("GET /v1/shapes answers the shape random() picks, with no token needed", async () => {
    const seen: string[] = [];
    for (const [index, r] of PICKS.entries()) {
      const pinned = createApp({ secret: SECRET, webOrigins: [WEB_ORIGIN], random: () => r });
      const { status, body } = await get("/v1/shapes", {}, pinned);
      expect(status).toBe(200);
      expect(body).toEqual({ shape: SHAPES[index], status: SHAPES[index] });
      seen.push(body.shape ?? "");
    }
    expect(seen).toEqual(["Circle", "Rectangle", "Square", "Triangle"]);
  });

  it("GET /v1/shapes with the default random source stays within the four shapes", async () => {
    const free = createApp({ secret: SECRET, webOrigins: [WEB_ORIGIN] });
    for (let i = 0; i < 20; i += 1) {
      const { body } = await get("/v1/shapes", {}, free);
      expect(SHAPES).toContain(body.shape);
      expect(body.status).toBe(body.shape);
    }
  });

  it("unknown routes answer 404 {status: not found}", async () => {
    for (const path of ["/", "/v3/shapes", "/v1/shapes/extra", "/healthz/x"]) {
      expect(await get(path)).toMatchObject({ status: 404, body: { status: "not found" } });
    }
    const post = await app.request("/v1/hello", { method: "POST" });
    expect(post.status).toBe(404);
    expect(await post.json()).toEqual({ status: "not found" });
  });
});

describe("GET /v2/shapes (Approov token required)", () => {
  it("answers the shape with (approoved) for a valid token made with the same secret", async () => {
    for (const [index, r] of PICKS.entries()) {
      const pinned = createApp({ secret: SECRET, webOrigins: [WEB_ORIGIN], random: () => r });
      const token = await signToken();
      const { status, body } = await get("/v2/shapes", { "Approov-Token": token }, pinned);
      expect(status).toBe(200);
      expect(body).toEqual({ shape: SHAPES[index], status: `${SHAPES[index]} (approoved)` });
    }
  });

  it("answers 400 when the token is missing or empty", async () => {
    const cases: Record<string, string>[] = [{}, { "Approov-Token": "" }];
    for (const headers of cases) {
      const { status, body } = await get("/v2/shapes", headers);
      expect(status).toBe(400);
      expect(body).toEqual({ status: "missing approov token" });
    }
  });

  it("answers 401 for garbage, wrong-secret, expired and alg-none tokens", async () => {
    const claims = { exp: nowSeconds() + 300 };
    const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const cases = {
      garbage: "not.a.token",
      "random bytes": randomBytes(48).toString("base64"),
      "wrong secret": await signToken(claims, new Uint8Array(randomBytes(32))),
      expired: await signToken({ exp: nowSeconds() - 60 }),
      "alg none": `${b64url({ alg: "none", typ: "JWT" })}.${b64url(claims)}.`,
      "no exp": await signToken({ iat: nowSeconds() }),
    };
    for (const [name, token] of Object.entries(cases)) {
      const { status, body } = await get("/v2/shapes", { "Approov-Token": token });
      expect(status, name).toBe(401);
      expect(body, name).toEqual({ status: "invalid approov token" });
    }
  });

  it("does not check tokens on the v1 routes", async () => {
    const { status } = await get("/v1/shapes", { "Approov-Token": "garbage" });
    expect(status).toBe(200);
  });
});

describe("CORS", () => {
  function preflight(origin: string) {
    return app.request("/v2/shapes", {
      method: "OPTIONS",
      headers: {
        Origin: origin,
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "approov-token",
      },
    });
  }

  it("allows the web app origin to send Approov-Token", async () => {
    const response = await preflight(WEB_ORIGIN);
    expect(response.status).toBe(204);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe(WEB_ORIGIN);
    const allowed = (response.headers.get("Access-Control-Allow-Headers") ?? "")
      .toLowerCase()
      .split(",");
    expect(allowed).toEqual(
      expect.arrayContaining(["approov-token", "dpop", "authorization", "content-type"]),
    );
    expect(response.headers.get("Access-Control-Allow-Methods")).toBe("GET,OPTIONS");
  });

  it("does not allow another origin", async () => {
    const response = await preflight("http://evil.example");
    expect(response.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });

  it("lets the web app read error answers and the exposed headers", async () => {
    const response = await app.request("/v2/shapes", {
      headers: { Origin: WEB_ORIGIN, "Approov-Token": "garbage" },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe(WEB_ORIGIN);
    expect(response.headers.get("Access-Control-Expose-Headers")).toBe(
      "WWW-Authenticate,DPoP-Nonce",
    );
  });

  it("accepts each of several configured origins", async () => {
    const two = createApp({
      secret: SECRET,
      webOrigins: [WEB_ORIGIN, "https://shapes.example.com"],
    });
    const response = await two.request("/v1/hello", {
      headers: { Origin: "https://shapes.example.com" },
    });
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("https://shapes.example.com");
  });
});

describe("errors", () => {
  afterEach(() => vi.restoreAllMocks());

  it("answers 500 {status: internal error} without a stack, and logs no headers", async () => {
    const logged: string[] = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(" "));
    });
    const broken = createApp({
      secret: SECRET,
      webOrigins: [WEB_ORIGIN],
      random: () => {
        throw new Error("entropy exhausted");
      },
    });
    const token = await signToken();
    const response = await broken.request("/v2/shapes", { headers: { "Approov-Token": token } });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ status: "internal error" });
    expect(text).not.toMatch(/entropy|at /);
    expect(logged.join("\n")).toContain("entropy exhausted");
    expect(logged.join("\n")).toContain("GET /v2/shapes");
    expect(logged.join("\n")).not.toContain(token);
  });
});
