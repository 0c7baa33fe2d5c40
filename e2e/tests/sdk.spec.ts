import { expect, type Page, type Response, test } from "@playwright/test";
import { calculateJwkThumbprint, decodeProtectedHeader, type JWK } from "jose";
import {
  HCAPTCHA_PUBLISHER_KEY,
  HCAPTCHA_SAFE_USER_KEY,
  readAccount,
  SHORT_SESSION_SECONDS,
  TOKEN_LIFETIME_SECONDS,
  urls,
} from "../support/stack.js";
import { decodeJwt, verifiesWithAccountSecret } from "../support/tokens.js";

const PAGE = "/approov-hcaptcha-sdk-protected/";

/**
 * Counts what the page got from hCaptcha (the sandbox) and from attest. Only successful
 * answers count: a session's first request to attest is the DPoP nonce dance (a 400 with
 * a fresh nonce, then the same request again).
 */
function countAnswers(page: Page) {
  const counts = { hcaptcha: 0, token: 0, refresh: 0 };
  page.on("response", (response: Response) => {
    if (response.status() !== 200) return;
    const url = new URL(response.url());
    if (url.origin === urls.sandbox && url.pathname === "/1/execute") counts.hcaptcha++;
    if (url.origin === urls.attest && url.pathname === "/token") counts.token++;
    if (url.origin === urls.attest && url.pathname === "/refresh") counts.refresh++;
  });
  return counts;
}

const isAttest = (path: string) => (response: Response) =>
  response.url() === `${urls.attest}${path}` && response.status() === 200;

async function clickShape(page: Page) {
  const shapes = page.waitForResponse((r) => r.url().endsWith("/v2/dpop/shapes"));
  await page.locator("#shape-button").click();
  const response = await shapes;
  await expect(page.locator("#shape")).toBeVisible();
  return response;
}

const pause = (seconds: number) => new Promise((r) => setTimeout(r, seconds * 1000));

test("the SDK page gets a shape from the DPoP route with a token bound to its session key", async ({
  page,
}) => {
  await page.goto(PAGE);
  const response = await clickShape(page);
  expect(response.status()).toBe(200);

  const token = (await response.request().headerValue("approov-token")) as string;
  const proof = (await response.request().headerValue("dpop")) as string;
  expect(await verifiesWithAccountSecret(token)).toBe(true);
  const claims = decodeJwt(token) as { cnf?: { jkt: string }; embed: Record<string, unknown> };
  expect(Object.keys(claims.embed)).toEqual([`hcap:${HCAPTCHA_PUBLISHER_KEY}`]);

  // The proof's key is the session key the token was issued to.
  const header = decodeProtectedHeader(proof);
  expect(header.typ).toBe("dpop+jwt");
  expect(header.alg).toBe("ES256");
  expect(header.jwk).toBeDefined();
  expect((header.jwk as JWK).d).toBeUndefined();
  expect(claims.cnf?.jkt).toBe(await calculateJwkThumbprint(header.jwk as JWK, "sha256"));
  const proofClaims = decodeJwt(proof);
  expect(proofClaims.htm).toBe("GET");
  expect(proofClaims.htu).toBe(`${urls.shapes}/v2/dpop/shapes`);
  expect(proofClaims.ath).toBeTruthy();
  await expect(page.locator("#session")).toContainText("Approov session until");
});

test("a session lives through several token refreshes with one hCaptcha", async ({ page }) => {
  const counts = countAnswers(page);
  await page.goto(PAGE);
  const tokens = new Set<string>();
  for (let i = 0; i < 3; i++) {
    if (i > 0) await pause(TOKEN_LIFETIME_SECONDS + 0.5); // the cached token has expired
    const response = await clickShape(page);
    expect(response.status()).toBe(200);
    tokens.add((await response.request().headerValue("approov-token")) as string);
  }
  expect(tokens.size).toBe(3);
  expect(counts.hcaptcha).toBe(1);
  expect(counts.token).toBe(1);
  expect(counts.refresh).toBeGreaterThanOrEqual(2);
});

test("when the session ends the page re-initialises it and runs hCaptcha again", async ({
  page,
}) => {
  const counts = countAnswers(page);
  await page.goto(`${urls.shortSessionWeb}${PAGE}`);
  const first = await clickShape(page);
  const firstClaims = decodeJwt((await first.request().headerValue("approov-token")) as string);
  expect(Object.keys(firstClaims.embed as object)).toEqual([`hcap:${HCAPTCHA_SAFE_USER_KEY}`]);
  expect(counts).toMatchObject({ hcaptcha: 1, token: 1 });

  await pause(SHORT_SESSION_SECONDS + 1);
  const second = await clickShape(page);
  expect(second.status()).toBe(200);
  // ApproovSessionError -> initializeSession -> a fresh hCaptcha -> a new session.
  expect(counts).toMatchObject({ hcaptcha: 2, token: 2 });
  const proofKey = async (r: typeof first) =>
    calculateJwkThumbprint(
      decodeProtectedHeader((await r.request().headerValue("dpop")) as string).jwk as JWK,
    );
  expect(await proofKey(second)).not.toBe(await proofKey(first));
});

test("a DPoP proof replayed to attest is refused", async ({ page, request }) => {
  await page.goto(PAGE);
  await clickShape(page);
  await pause(TOKEN_LIFETIME_SECONDS + 0.5);
  const refreshed = page.waitForResponse(isAttest("/refresh"));
  await clickShape(page);
  // A proof attest accepted once: sent again, it must be refused.
  const original = (await refreshed).request();

  const replay = await request.post(`${urls.attest}/refresh`, {
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      dpop: (await original.headerValue("dpop")) as string,
      origin: urls.web,
    },
    data: original.postData() ?? "",
  });
  expect(replay.status()).toBe(400);
  expect(Object.keys((await replay.json()).errors)).toEqual(["aprv-invalid-dpop-token"]);
});

test("a refresh token copied to another browser cannot be used there", async ({
  page,
  browser,
}) => {
  await page.goto(PAGE);
  const tokenResponse = page.waitForResponse(isAttest("/token"));
  await clickShape(page);
  const { refreshToken } = await (await tokenResponse).json();
  expect(typeof refreshToken).toBe("string");

  // Another browser (context) with its own session key tries the stolen refresh token.
  const other = await browser.newContext();
  const thief = await other.newPage();
  await thief.goto(PAGE);
  const answer = await thief.evaluate(
    async ({ attest, stolen, siteKey }) => {
      const sdkUrl = "/approov.js";
      const { Approov } = await import(sdkUrl);
      await Approov.initializeSession({
        approovHost: attest,
        approovSiteKey: siteKey,
        hcaptchaSiteKey: "10000000-ffff-ffff-ffff-000000000001",
      });
      const url = `${attest}/refresh`;
      const body = new URLSearchParams({
        api: "localhost",
        "approov-site-key": siteKey,
        "refresh-token": stolen,
      });
      const post = async (nonce: string | null) =>
        fetch(url, {
          method: "POST",
          headers: { DPoP: await Approov.getDPoPToken("POST", url, nonce, null, null) },
          body,
        });
      // The first answer only hands out a server nonce.
      const first = await post(null);
      const second = await post(first.headers.get("DPoP-Nonce"));
      return { status: second.status, body: await second.json() };
    },
    { attest: urls.attest, stolen: refreshToken, siteKey: readAccount().siteKey },
  );
  expect(answer.status).toBe(400);
  expect(Object.keys(answer.body.errors)).toEqual(["aprv-invalid-refresh-token"]);
  await other.close();
});
