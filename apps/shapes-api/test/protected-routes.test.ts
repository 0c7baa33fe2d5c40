import { calculateJwkThumbprint } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp, type ShapesApiConfig } from "../src/app.js";
import {
  dpopProof,
  ENCRYPTION_SECRET,
  encryptToken,
  nowSeconds,
  payFor,
  SECRET,
  sessionKey,
  sha256url,
  signToken,
  WEB_ORIGIN,
} from "./helpers.js";

const API = "http://localhost:8002";
const WEB_EMBED = { "hcap:10000000-ffff-ffff-ffff-000000000001": { hostname: "localhost" } };

function app(extra: Partial<ShapesApiConfig> = {}) {
  return createApp({ secret: SECRET, webOrigins: [WEB_ORIGIN], random: () => 0, ...extra });
}

async function get(target: ReturnType<typeof app>, path: string, headers: Record<string, string>) {
  const response = await target.request(`${API}${path}`, { headers });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, string>,
    challenge: response.headers.get("WWW-Authenticate"),
  };
}

const APPROOVED = { status: 200, body: { shape: "Circle", status: "Circle (approoved)" } };
const live = (claims: Record<string, unknown> = {}) => ({ exp: nowSeconds() + 300, ...claims });

describe("GET /v2/shapes with JWE tokens", () => {
  it("accepts an A256GCMKW token when APPROOV_ENCRYPTION_SECRET is set", async () => {
    const jwe = await encryptToken(live());
    const withKey = app({ encryptionSecret: ENCRYPTION_SECRET });
    expect(await get(withKey, "/v2/shapes", { "Approov-Token": jwe })).toMatchObject(APPROOVED);
    // HS256 tokens keep working next to it.
    const jws = await signToken(live());
    expect(await get(withKey, "/v2/shapes", { "Approov-Token": jws })).toMatchObject(APPROOVED);
  });

  it("refuses JWE tokens without it, and JWEs made with another key", async () => {
    const refused = { status: 401, body: { status: "invalid approov token" } };
    const jwe = await encryptToken(live());
    expect(await get(app(), "/v2/shapes", { "Approov-Token": jwe })).toMatchObject(refused);
    const wrongKey = await encryptToken(live(), SECRET);
    expect(
      await get(app({ encryptionSecret: ENCRYPTION_SECRET }), "/v2/shapes", {
        "Approov-Token": wrongKey,
      }),
    ).toMatchObject(refused);
  });
});

describe("GET /v2/bound/shapes (token binding to Authorization)", () => {
  const AUTH = "Bearer user-7f3a";

  it("answers the shape when pay is the hash of the Authorization header", async () => {
    const token = await signToken(live({ pay: payFor(AUTH) }));
    expect(
      await get(app(), "/v2/bound/shapes", { "Approov-Token": token, Authorization: AUTH }),
    ).toMatchObject(APPROOVED);
  });

  it("answers 401 invalid approov bound token otherwise", async () => {
    const bound = await signToken(live({ pay: payFor(AUTH) }));
    const cases: Record<string, string>[] = [
      { "Approov-Token": bound },
      { "Approov-Token": bound, Authorization: "Bearer another-user" },
      { "Approov-Token": await signToken(live()), Authorization: AUTH },
    ];
    for (const headers of cases) {
      expect(await get(app(), "/v2/bound/shapes", headers)).toMatchObject({
        status: 401,
        body: { status: "invalid approov bound token" },
      });
    }
    expect(await get(app(), "/v2/bound/shapes", {})).toMatchObject({
      status: 400,
      body: { status: "missing approov token" },
    });
  });
});

describe("GET /v2/mobile/shapes (mobile channel only)", () => {
  it("accepts a token with did and refuses web and unmarked tokens", async () => {
    const mobile = await signToken(live({ did: "ZGV2aWNlLTE=" }));
    expect(await get(app(), "/v2/mobile/shapes", { "Approov-Token": mobile })).toMatchObject(
      APPROOVED,
    );
    for (const claims of [{ embed: WEB_EMBED }, {}, { did: "x", embed: WEB_EMBED }]) {
      const token = await signToken(live(claims));
      expect(await get(app(), "/v2/mobile/shapes", { "Approov-Token": token })).toMatchObject({
        status: 401,
        body: { status: "approov token not allowed here" },
      });
    }
    // The same web token is fine on /v2/shapes.
    const web = await signToken(live({ embed: WEB_EMBED }));
    expect(await get(app(), "/v2/shapes", { "Approov-Token": web })).toMatchObject(APPROOVED);
  });
});

describe("GET /v2/dpop/shapes (token + DPoP proof)", () => {
  let key: Awaited<ReturnType<typeof sessionKey>>;
  let token: string;
  const url = `${API}/v2/dpop/shapes`;

  beforeAll(async () => {
    key = await sessionKey();
    const jkt = await calculateJwkThumbprint(key.jwk, "sha256");
    token = await signToken(live({ embed: WEB_EMBED, cnf: { jkt } }));
  });

  it("answers the shape for the SDK's request (GET, nonce, ath)", async () => {
    const proof = await dpopProof(key, { htm: "GET", htu: url, ath: sha256url(token) });
    expect(await get(app(), "/v2/dpop/shapes", { "Approov-Token": token, DPoP: proof })).toEqual({
      ...APPROOVED,
      challenge: null,
    });
  });

  it("refuses a missing, replayed or foreign proof with an RFC 9449 challenge", async () => {
    const target = app();
    const proof = await dpopProof(key, { htm: "GET", htu: url, ath: sha256url(token) });
    expect(
      (await get(target, "/v2/dpop/shapes", { "Approov-Token": token, DPoP: proof })).status,
    ).toBe(200);

    const other = await sessionKey();
    const cases: [Record<string, string>, string][] = [
      [{ "Approov-Token": token }, "missing"],
      [{ "Approov-Token": token, DPoP: proof }, "replayed"],
      [
        {
          "Approov-Token": token,
          DPoP: await dpopProof(other, { htm: "GET", htu: url, ath: sha256url(token) }),
        },
        "jkt-mismatch",
      ],
      [
        {
          "Approov-Token": token,
          DPoP: await dpopProof(key, {
            htm: "GET",
            htu: `${API}/v2/shapes`,
            ath: sha256url(token),
          }),
        },
        "htu-mismatch",
      ],
      [
        {
          "Approov-Token": await signToken(live()),
          DPoP: await dpopProof(key, { htm: "GET", htu: url, ath: sha256url(token) }),
        },
        "unbound-token",
      ],
    ];
    for (const [headers, code] of cases) {
      expect(await get(target, "/v2/dpop/shapes", headers), code).toEqual({
        status: 401,
        body: { status: "invalid dpop proof" },
        challenge: `DPoP error="invalid_dpop_proof", error_description="${code}", algs="ES256"`,
      });
    }
  });

  it("behind a TLS proxy, checks htu against SHAPES_PUBLIC_ORIGIN", async () => {
    const target = app({ publicOrigin: "https://shapes.example.com" });
    const proof = await dpopProof(key, {
      htm: "GET",
      htu: "https://shapes.example.com/v2/dpop/shapes",
      ath: sha256url(token),
    });
    expect(
      (await get(target, "/v2/dpop/shapes", { "Approov-Token": token, DPoP: proof })).status,
    ).toBe(200);
  });

  it("lets the web app send DPoP cross-origin and read the challenge", async () => {
    const preflight = await app().request(url, {
      method: "OPTIONS",
      headers: {
        Origin: WEB_ORIGIN,
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "approov-token,dpop",
      },
    });
    expect(preflight.status).toBe(204);
    const refused = await app().request(url, {
      headers: { Origin: WEB_ORIGIN, "Approov-Token": token },
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("Access-Control-Allow-Origin")).toBe(WEB_ORIGIN);
    expect(refused.headers.get("Access-Control-Expose-Headers")).toContain("WWW-Authenticate");
  });

  it("/v2/shapes keeps accepting the same token, with or without a DPoP header", async () => {
    expect(await get(app(), "/v2/shapes", { "Approov-Token": token, DPoP: "x" })).toMatchObject(
      APPROOVED,
    );
  });
});
