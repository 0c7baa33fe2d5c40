import { expect, test } from "@playwright/test";
import { urls } from "../support/stack.js";
import { randomKey, signToken } from "../support/tokens.js";

const now = () => Math.floor(Date.now() / 1000);
const embed = { "hcap:10000000-ffff-ffff-ffff-000000000001": { challenge_ts: "x", hostname: "y" } };

test("v2/shapes accepts a token signed with the account secret", async ({ request }) => {
  const token = await signToken({ exp: now() + 60, embed });
  const response = await request.get(`${urls.shapes}/v2/shapes`, {
    headers: { "Approov-Token": token },
  });
  expect(response.status()).toBe(200);
  expect((await response.json()).status).toMatch(/ \(approoved\)$/);
});

test("v2/shapes refuses a forged token (right shape, another key)", async ({ request }) => {
  const token = await signToken({ exp: now() + 60, embed }, randomKey());
  const response = await request.get(`${urls.shapes}/v2/shapes`, {
    headers: { "Approov-Token": token },
  });
  expect(response.status()).toBe(401);
  expect(await response.json()).toEqual({ status: "invalid approov token" });
});

test("v2/shapes refuses an expired token signed with the account secret", async ({ request }) => {
  const token = await signToken({ exp: now() - 60, embed });
  const response = await request.get(`${urls.shapes}/v2/shapes`, {
    headers: { "Approov-Token": token },
  });
  expect(response.status()).toBe(401);
  expect(await response.json()).toEqual({ status: "invalid approov token" });
});

test("v2/shapes without a token answers 400", async ({ request }) => {
  const response = await request.get(`${urls.shapes}/v2/shapes`);
  expect(response.status()).toBe(400);
  expect(await response.json()).toEqual({ status: "missing approov token" });
});
