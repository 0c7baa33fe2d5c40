// The bounded load the dashboards' test puts through a real attest: every outcome, error
// codes, a rate-limit refusal, /attest, /token and /refresh, with hCaptcha's test keys
// (the sandbox honours them).
import { SdkSession } from "../../e2e/support/sdk-session.js";

export const HCAPTCHA_PUBLISHER = [
  "10000000-ffff-ffff-ffff-000000000001",
  "10000000-aaaa-bbbb-cccc-000000000001",
] as const;
/** The enterprise bot key scores 1: the default account's minScore refuses it (a decoy). */
export const HCAPTCHA_BOT = [
  "30000000-ffff-ffff-ffff-000000000003",
  "30000000-aaaa-bbbb-cccc-000000000003",
] as const;
/** The safe-user key, given `rateLimit` 1 by the test: its second request is refused. */
export const HCAPTCHA_SAFE = [
  "20000000-ffff-ffff-ffff-000000000002",
  "20000000-aaaa-bbbb-cccc-000000000002",
] as const;

/** What one round of load answered, in order (the test asserts it, so the load is known). */
export interface LoadRound {
  attest: number[];
  token: number[];
  refresh: number[];
}

const hcaptchaForm = (
  siteKey: string,
  [key, token]: readonly string[],
): Record<string, string> => ({
  api: "localhost",
  "approov-site-key": siteKey,
  "hcaptcha-site-key": key as string,
  "hcaptcha-token": token as string,
});

async function postAttest(attestUrl: string, form: Record<string, string>): Promise<number> {
  const res = await fetch(`${attestUrl}/attest`, {
    method: "POST",
    body: new URLSearchParams(form),
  });
  await res.arrayBuffer();
  return res.status;
}

/**
 * One round: /attest valid, decoy, the rate-limited key twice, an unregistered API (400
 * `aprv-api-not-found`); an SDK session that passes (/token, /refresh) and one that does
 * not (/token: decoys, /refresh: decoys). Sequential: a dozen requests, no more.
 */
export async function loadRound(attestUrl: string, siteKey: string): Promise<LoadRound> {
  const attest = [
    await postAttest(attestUrl, hcaptchaForm(siteKey, HCAPTCHA_PUBLISHER)),
    await postAttest(attestUrl, hcaptchaForm(siteKey, HCAPTCHA_BOT)),
    await postAttest(attestUrl, hcaptchaForm(siteKey, HCAPTCHA_SAFE)),
    await postAttest(attestUrl, hcaptchaForm(siteKey, HCAPTCHA_SAFE)),
    await postAttest(attestUrl, { api: "unknown.example", "approov-site-key": siteKey }),
  ];
  const token: number[] = [];
  const refresh: number[] = [];
  for (const keys of [HCAPTCHA_PUBLISHER, HCAPTCHA_BOT]) {
    const session = await SdkSession.create(attestUrl);
    token.push((await session.start(hcaptchaForm(siteKey, keys))).status);
    refresh.push((await session.refresh({ api: "localhost", "approov-site-key": siteKey })).status);
  }
  return { attest, token, refresh };
}
