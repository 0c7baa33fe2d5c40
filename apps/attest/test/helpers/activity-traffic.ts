import { readFile } from "node:fs/promises";
import type { ActivityBucketsAnswer, ActivityPeriod } from "@shapes/protocol";
import { HCAPTCHA_TEST_KEYS } from "@shapes/protocol";
import { adminKeyPath } from "../../src/admin/admin-key.js";

/** What the activity tests send: valid tokens, decoys and named error codes. */
export interface Traffic {
  valid: number;
  decoys: number;
  /** Each an `aprv-api-not-found` answer (an API the account does not have). */
  errors: number;
}

const form = (siteKey: string, api: string, hcaptcha: { siteKey: string; response: string }) =>
  new URLSearchParams([
    ["api", api],
    ["approov-site-key", siteKey],
    ["hcaptcha-site-key", hcaptcha.siteKey],
    ["hcaptcha-token", hcaptcha.response],
  ]);

async function adminKey(dir: string): Promise<string> {
  return (await readFile(adminKeyPath(dir), "utf8")).trim();
}

/** The Approov site key of the account in `dir` (public, like every site key). */
export async function siteKeyOf(url: string, dir: string): Promise<string> {
  const res = await fetch(`${url}/admin/v1/account`, {
    headers: { authorization: `Bearer ${await adminKey(dir)}` },
  });
  return ((await res.json()) as { siteKey: string }).siteKey;
}

/** Sends `traffic` to attest at `url` through /attest (the sandbox's hCaptcha test keys). */
export async function sendTraffic(url: string, siteKey: string, traffic: Traffic): Promise<void> {
  const send = async (body: URLSearchParams, status: number) => {
    const res = await fetch(`${url}/attest`, { method: "POST", body });
    await res.arrayBuffer();
    if (res.status !== status) throw new Error(`/attest answered ${res.status}, not ${status}`);
  };
  for (let i = 0; i < traffic.valid; i++) {
    await send(form(siteKey, "localhost", HCAPTCHA_TEST_KEYS.publisher), 200);
  }
  for (let i = 0; i < traffic.decoys; i++) {
    await send(form(siteKey, "localhost", HCAPTCHA_TEST_KEYS.enterpriseBotDetected), 200);
  }
  for (let i = 0; i < traffic.errors; i++) {
    await send(form(siteKey, "unknown.example", HCAPTCHA_TEST_KEYS.publisher), 400);
  }
}

/** `GET /admin/v1/metrics/buckets?period=` with the admin key of `dir`. */
export async function bucketsOf(
  url: string,
  dir: string,
  period: ActivityPeriod = "hour",
): Promise<ActivityBucketsAnswer> {
  const res = await fetch(`${url}/admin/v1/metrics/buckets?period=${period}`, {
    headers: { authorization: `Bearer ${await adminKey(dir)}` },
  });
  if (res.status !== 200) throw new Error(`buckets: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as ActivityBucketsAnswer;
}
