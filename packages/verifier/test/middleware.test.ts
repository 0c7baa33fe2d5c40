import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { approovToken } from "../src/hono.js";
import { ApproovTokenError, createApproovTokenVerifier } from "../src/index.js";
import { nowSeconds, OTHER_SECRET, SECRET, signToken, unsecured } from "./tokens.js";

function appWith(options: Parameters<typeof approovToken>[0]) {
  const app = new Hono();
  app.get("/protected", approovToken(options), (c) =>
    // Typed: c.var.approovToken is ApproovTokenClaims.
    c.json({ exp: c.var.approovToken.exp, ip: c.var.approovToken.ip ?? null }),
  );
  app.onError((_error, c) => c.json({ status: "internal error" }, 500));
  return app;
}

const app = appWith({ secret: SECRET });

describe("approovToken middleware", () => {
  it("answers 400 when the header is missing or empty", async () => {
    const cases: Record<string, string>[] = [
      {},
      { "Approov-Token": "" },
      { "Approov-Token": "   " },
    ];
    for (const headers of cases) {
      const response = await app.request("/protected", { headers });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ status: "missing approov token" });
    }
  });

  it("answers 401 for invalid tokens, the same body whatever the reason", async () => {
    for (const token of [
      "garbage",
      unsecured({ exp: nowSeconds() + 300 }),
      await signToken(undefined, OTHER_SECRET),
      await signToken({ exp: nowSeconds() - 60 }),
      await signToken({ iat: nowSeconds() }),
    ]) {
      const response = await app.request("/protected", { headers: { "Approov-Token": token } });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ status: "invalid approov token" });
    }
  });

  it("sets c.var.approovToken and calls the handler for a valid token", async () => {
    const exp = nowSeconds() + 300;
    const token = await signToken({ exp, ip: "192.0.2.1" });
    const response = await app.request("/protected", {
      headers: { "approov-token": token },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ exp, ip: "192.0.2.1" });
  });

  it("uses a given verify function", async () => {
    const calls: string[] = [];
    const verify = createApproovTokenVerifier({ secret: OTHER_SECRET });
    const custom = appWith({
      verify: (token) => {
        calls.push(token);
        return verify(token);
      },
    });
    const token = await signToken(undefined, OTHER_SECRET);
    const response = await custom.request("/protected", { headers: { "Approov-Token": token } });
    expect(response.status).toBe(200);
    expect(calls).toEqual([token]);
  });

  it("lets errors that are not about the token reach onError, not a 401", async () => {
    const broken = appWith({
      verify: () => Promise.reject(new Error("key store unavailable")),
    });
    const response = await broken.request("/protected", { headers: { "Approov-Token": "x" } });
    expect(response.status).toBe(500);

    const missing = appWith({ verify: () => Promise.reject(new ApproovTokenError("missing")) });
    expect(
      (await missing.request("/protected", { headers: { "Approov-Token": "x" } })).status,
    ).toBe(400);
  });
});
