import { createHash } from "node:crypto";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { approovToken, approovTokenBinding } from "../src/hono.js";
import {
  ApproovConfigError,
  checkTokenBinding,
  checkTokenChannel,
  createApproovTokenVerifier,
  TokenBindingError,
  TokenChannelError,
  tokenBindingHash,
  tokenChannel,
} from "../src/index.js";
import { nowSeconds, SECRET, signToken } from "./tokens.js";

const MOBILE = { did: "device-1" };
const WEB = { embed: { "hcap:10000000-ffff-ffff-ffff-000000000001": { hostname: "localhost" } } };
const token = (claims: Record<string, unknown>) =>
  signToken({ exp: nowSeconds() + 300, ...claims });

/** One verifier (one cache) behind every route, as an app should share it. */
function channelApp() {
  const verify = createApproovTokenVerifier({ secret: SECRET });
  const app = new Hono();
  for (const channel of ["any", "mobile", "web"] as const) {
    app.get(`/${channel}`, approovToken({ verify, channel }), (c) => c.json({ ok: channel }));
  }
  app.get("/bound", approovToken({ verify }), approovTokenBinding(), (c) => c.json({ ok: 1 }));
  app.get(
    "/bound-custom",
    approovToken({ verify }),
    approovTokenBinding({ header: "X-User" }),
    (c) => c.json({ ok: 2 }),
  );
  app.get("/misordered", approovTokenBinding(), (c) => c.json({ ok: 3 }));
  app.onError((_error, c) => c.json({ status: "internal error" }, 500));
  return app;
}

async function call(app: Hono, path: string, headers: Record<string, string>) {
  const response = await app.request(path, { headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("channel: did means mobile, embed means web", () => {
  it("tokenChannel reads the claims; both or neither is unknown", () => {
    const exp = nowSeconds() + 1;
    expect(tokenChannel({ exp, ...MOBILE })).toBe("mobile");
    expect(tokenChannel({ exp, ...WEB })).toBe("web");
    expect(tokenChannel({ exp, ...MOBILE, ...WEB })).toBe("unknown");
    expect(tokenChannel({ exp })).toBe("unknown");
  });

  it("checkTokenChannel passes the required channel and throws TokenChannelError otherwise", () => {
    const exp = nowSeconds() + 1;
    const claims = {
      mobile: { exp, ...MOBILE },
      web: { exp, ...WEB },
      both: { exp, ...MOBILE, ...WEB },
      neither: { exp },
    };
    for (const c of Object.values(claims)) expect(() => checkTokenChannel(c, "any")).not.toThrow();
    expect(() => checkTokenChannel(claims.mobile, "mobile")).not.toThrow();
    expect(() => checkTokenChannel(claims.web, "web")).not.toThrow();
    const refusals: [keyof typeof claims, "mobile" | "web", string][] = [
      ["web", "mobile", "web"],
      ["mobile", "web", "mobile"],
      ["both", "mobile", "unknown"],
      ["neither", "web", "unknown"],
    ];
    for (const [name, required, channel] of refusals) {
      let thrown: unknown;
      try {
        checkTokenChannel(claims[name], required);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, `${name} on ${required}`).toBeInstanceOf(TokenChannelError);
      expect(thrown).toMatchObject({ code: "wrong-channel", channel });
    }
  });

  it("a mobile-only route refuses web tokens with 401 'approov token not allowed here'", async () => {
    const app = channelApp();
    const table: [Record<string, unknown>, string, number][] = [
      [MOBILE, "/mobile", 200],
      [WEB, "/mobile", 401],
      [{ ...MOBILE, ...WEB }, "/mobile", 401],
      [{}, "/mobile", 401],
      [WEB, "/web", 200],
      [MOBILE, "/web", 401],
      [MOBILE, "/any", 200],
      [WEB, "/any", 200],
      [{}, "/any", 200],
    ];
    for (const [claims, path, status] of table) {
      const answer = await call(app, path, { "Approov-Token": await token(claims) });
      expect(answer.status, `${JSON.stringify(claims)} on ${path}`).toBe(status);
      if (status === 401) expect(answer.body).toEqual({ status: "approov token not allowed here" });
    }
  });

  it("a cached (already accepted) web token is still refused on the mobile route", async () => {
    const app = channelApp();
    const web = await token(WEB);
    expect((await call(app, "/any", { "Approov-Token": web })).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      expect((await call(app, "/mobile", { "Approov-Token": web })).status).toBe(401);
    }
  });

  it("an invalid token is still 'invalid approov token', whatever the channel", async () => {
    const app = channelApp();
    const answer = await call(app, "/mobile", { "Approov-Token": "x.y.z" });
    expect(answer).toEqual({ status: 401, body: { status: "invalid approov token" } });
  });

  it("refuses an unknown channel option", () => {
    expect(() => approovToken({ secret: SECRET, channel: "desktop" as "web" })).toThrow(
      ApproovConfigError,
    );
  });
});

describe("token binding: pay = base64(SHA-256(bound value))", () => {
  const AUTHORIZATION = "Bearer eyJ.user-session.token";
  const pay = createHash("sha256").update(AUTHORIZATION).digest("base64");

  it("tokenBindingHash is standard base64 with padding of SHA-256 (UTF-8)", () => {
    expect(tokenBindingHash("")).toBe("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    expect(tokenBindingHash(AUTHORIZATION)).toBe(pay);
    expect(tokenBindingHash(new TextEncoder().encode("é"))).toBe(tokenBindingHash("é"));
  });

  it("checkTokenBinding throws a typed error with a stable code", () => {
    const exp = nowSeconds() + 1;
    const codeOf = (claims: { exp: number; pay?: string }, value?: string) => {
      try {
        checkTokenBinding(claims, value);
        return "ok";
      } catch (error) {
        expect(error).toBeInstanceOf(TokenBindingError);
        expect((error as Error).message).not.toContain(AUTHORIZATION);
        return (error as TokenBindingError).code;
      }
    };
    expect(codeOf({ exp, pay }, AUTHORIZATION)).toBe("ok");
    expect(codeOf({ exp }, AUTHORIZATION)).toBe("no-pay");
    expect(codeOf({ exp, pay }, undefined)).toBe("no-bound-value");
    expect(codeOf({ exp, pay }, "")).toBe("no-bound-value");
    expect(codeOf({ exp, pay }, `${AUTHORIZATION}x`)).toBe("pay-mismatch");
    // base64url of the same hash is not the upstream format.
    const url = Buffer.from(pay, "base64").toString("base64url");
    expect(codeOf({ exp, pay: url }, AUTHORIZATION)).toBe("pay-mismatch");
  });

  it("the middleware accepts the matching Authorization header and refuses the rest", async () => {
    const app = channelApp();
    const bound = await token({ pay });
    const ok = await call(app, "/bound", { "Approov-Token": bound, Authorization: AUTHORIZATION });
    expect(ok).toEqual({ status: 200, body: { ok: 1 } });

    const refused = { status: 401, body: { status: "invalid approov bound token" } };
    const cases: Record<string, string>[] = [
      { "Approov-Token": bound },
      { "Approov-Token": bound, Authorization: "Bearer another-user" },
      { "Approov-Token": await token({}), Authorization: AUTHORIZATION },
      { "Approov-Token": await token({ pay: "not-a-hash" }), Authorization: AUTHORIZATION },
    ];
    for (const headers of cases) {
      expect(await call(app, "/bound", headers)).toEqual(refused);
    }
  });

  it("binds to a configured header instead", async () => {
    const app = channelApp();
    const bound = await token({ pay: tokenBindingHash("user-42") });
    expect(
      (await call(app, "/bound-custom", { "Approov-Token": bound, "X-User": "user-42" })).status,
    ).toBe(200);
    expect(
      (await call(app, "/bound-custom", { "Approov-Token": bound, Authorization: "user-42" }))
        .status,
    ).toBe(401);
  });

  it("a token accepted (and cached) on a plain route still fails binding", async () => {
    const app = channelApp();
    const unbound = await token({});
    expect((await call(app, "/any", { "Approov-Token": unbound })).status).toBe(200);
    expect(
      (await call(app, "/bound", { "Approov-Token": unbound, Authorization: AUTHORIZATION }))
        .status,
    ).toBe(401);
  });

  it("used without approovToken() first it is a server error, not a 401", async () => {
    expect((await call(channelApp(), "/misordered", { Authorization: "x" })).status).toBe(500);
    expect(() => approovTokenBinding({ header: "bad header" })).toThrow(ApproovConfigError);
  });
});
