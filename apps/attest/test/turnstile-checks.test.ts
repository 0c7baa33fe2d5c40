import {
  TURNSTILE_DUMMY_TOKEN,
  TURNSTILE_TEST_KEYS,
  TURNSTILE_TEST_SECRETS,
} from "@shapes/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../src/account/account.js";
import { expectErrorAnswer, type Flow } from "./helpers/error-codes.js";
import { closedPortUrl } from "./helpers/fault-servers.js";
import {
  decryptToken,
  embedOf,
  integrationApp,
  issue,
  isValid,
  JWE_API,
  type Params,
  send,
} from "./helpers/integration-setup.js";
import { PUBLISHER } from "./helpers/sdk-setup.js";
import { type RunningSandbox, startSandbox } from "./helpers/start-sandbox.js";

/**
 * Cloudflare Turnstile, the fourth integration, checked against the sandbox's stand-in with
 * Cloudflare's published testing keys: the dummy token and the secret that decides.
 */

const PASSES = TURNSTILE_TEST_KEYS.alwaysPasses;
const BLOCKS = TURNSTILE_TEST_KEYS.alwaysBlocks;
const SPENT = "3x00000000000000000000SP";
const EMBED_PASSES = `turn:${PASSES}`;

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.stop());

const FLOWS: Exclude<Flow, "refresh">[] = ["attest", "token"];

const params = (siteKey: string = PASSES): Params => ({
  "turnstile-site-key": siteKey,
  "turnstile-token": TURNSTILE_DUMMY_TOKEN,
});

const app = (account?: (a: Account) => void) =>
  integrationApp(sandbox, {
    account: (a) => {
      a.turnstile.sites[SPENT] = {
        ...(a.turnstile.sites[PASSES] as Account["turnstile"]["sites"][string]),
        secret: TURNSTILE_TEST_SECRETS.alreadySpent,
      };
      account?.(a);
    },
  });

describe.each(FLOWS)("Turnstile (%s)", (flow) => {
  it("the always-passing test keys give a valid token embedding turn:<site key>", async () => {
    const test = await app();
    const { token } = await issue(test, flow, params());
    expect(await isValid(test, token)).toBe(true);
    const embed = embedOf(token)[EMBED_PASSES] as Record<string, unknown>;
    expect(Object.keys(embed).sort()).toEqual(["challenge_ts", "hostname"]);
    expect(embed.challenge_ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/);
    expect(typeof embed.hostname).toBe("string");
    expect(embed.hostname).not.toBe("");
    expect(test.logs.at(-1)).toMatchObject({ outcome: "valid", integration: "turnstile" });
  });

  it("the always-failing secret, and an already spent token, give decoys shaped like valid tokens", async () => {
    const test = await app();
    const valid = embedOf((await issue(test, flow, params())).token)[EMBED_PASSES] as object;
    for (const siteKey of [BLOCKS, SPENT]) {
      const { token } = await issue(test, flow, params(siteKey));
      expect(await isValid(test, token)).toBe(false);
      const decoy = embedOf(token)[`turn:${siteKey}`] as Record<string, unknown>;
      expect(Object.keys(decoy).sort()).toEqual(Object.keys(valid).sort());
      expect(decoy.hostname).not.toBe("");
      expect(test.logs.at(-1)).toMatchObject({ outcome: "invalid", integration: "turnstile" });
      expect(test.logs.at(-1)?.reason).toMatch(/^turnstile success=false/);
    }
  });

  it("an action list the answer's action is not in fails the check", async () => {
    const test = await app((a) => {
      const site = a.turnstile.sites[PASSES];
      if (site) site.actions = ["login"];
    });
    const { token } = await issue(test, flow, params());
    expect(await isValid(test, token)).toBe(false);
    expect(test.logs.at(-1)).toMatchObject({ reason: "turnstile action not allowed" });
  });

  it("a domain list the answer's hostname is not in fails the check", async () => {
    const test = await app((a) => {
      const site = a.turnstile.sites[PASSES];
      if (site) site.domains = ["shapes.example"];
    });
    const { token } = await issue(test, flow, params());
    expect(await isValid(test, token)).toBe(false);
    expect(test.logs.at(-1)).toMatchObject({ reason: "turnstile hostname not allowed" });
  });

  it("siteverify unreachable: 502 turn-token-check, no token", async () => {
    const test = await integrationApp(sandbox, {
      settings: { turnstileSiteverifyUrl: await closedPortUrl() },
    });
    const body = await expectErrorAnswer(await send(test, flow, params()), flow, 502, [
      "turn-token-check",
    ]);
    expect(body.errors).toEqual({ "turn-token-check": "siteverify unreachable" });
  });

  it("the site key's rate limit: 429 turn-token-check", async () => {
    const test = await app((a) => {
      const site = a.turnstile.sites[PASSES];
      if (site) site.rateLimit = 1;
    });
    await issue(test, flow, params());
    const over = await send(test, flow, params());
    const body = await expectErrorAnswer(over, flow, 429, ["turn-token-check"]);
    expect(body.errors).toEqual({
      "turn-token-check": "rate limit of 1 requests per minute exceeded",
    });
  });
});

describe("Turnstile with the others", () => {
  it("combines with hCaptcha in one request: valid only when both pass, embeds merged", async () => {
    const test = await app();
    const both = {
      ...params(),
      "hcaptcha-site-key": PUBLISHER.siteKey,
      "hcaptcha-token": PUBLISHER.response,
    };
    const { token } = await issue(test, "attest", both);
    expect(await isValid(test, token)).toBe(true);
    expect(Object.keys(embedOf(token)).sort()).toEqual([`hcap:${PUBLISHER.siteKey}`, EMBED_PASSES]);
    expect(test.logs.at(-1)).toMatchObject({ integration: "combined" });
    const failing = {
      ...params(BLOCKS),
      "hcaptcha-site-key": PUBLISHER.siteKey,
      "hcaptcha-token": PUBLISHER.response,
    };
    expect(await isValid(test, (await issue(test, "attest", failing)).token)).toBe(false);
  });

  it("embeds the full siteverify answer in JWE tokens of embedResult sites, decoys as long", async () => {
    const test = await app((a) => {
      for (const key of [PASSES, BLOCKS]) {
        const site = a.turnstile.sites[key];
        if (site) site.embedResult = true;
      }
    });
    const valid = await issue(test, "attest", params(), [JWE_API]);
    const claims = await decryptToken(test, valid.token);
    expect(claims.embed?.[EMBED_PASSES]).toMatchObject({ success: true });
    const decoy = await issue(test, "attest", params(BLOCKS), [JWE_API]);
    await expect(decryptToken(test, decoy.token)).rejects.toThrow();
    expect(Math.abs(decoy.token.length - valid.token.length)).toBeLessThanOrEqual(16);
  });
});
