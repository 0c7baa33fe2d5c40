import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startServiceProcess } from "@shapes/test-stack";
import type { AttestSettings } from "../../src/settings.js";

/** The captcha sandbox's built entry point (apps/captcha-sandbox, built by turbo first). */
export const SANDBOX_MAIN = fileURLToPath(
  new URL("../../../captcha-sandbox/dist/main.js", import.meta.url),
);

export interface RunningSandbox {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  siteverifyUrl: string;
  /** Every upstream URL setting of attest, pointing at this sandbox. */
  settings: Pick<
    AttestSettings,
    | "hcaptchaSiteverifyUrl"
    | "recaptchaSiteverifyUrl"
    | "fingerprintApiUrls"
    | "turnstileSiteverifyUrl"
  >;
  /** Asks the sandbox for a fresh single-use token, as its browser widget does. */
  execute(sitekey: string, host?: string): Promise<{ response: string; key: string }>;
  /** A fresh single-use reCAPTCHA token, as api.js gets one (v3: with the site's score). */
  recaptchaToken(sitekey: string, options?: RecaptchaTokenOptions): Promise<string>;
  /** A Fingerprint identification, as the agent's get() makes one. */
  identify(publicKey: string, options?: IdentifyOptions): Promise<Identification>;
  /** POSTs JSON to a `/__sandbox` control (score, bot, faults); resolves its JSON. */
  control(path: string, body: unknown): Promise<unknown>;
  /** Removes every fault switch. */
  clearFaults(): Promise<void>;
  stop(): Promise<void>;
}

export interface RecaptchaTokenOptions {
  kind?: "v2" | "v3";
  action?: string;
  host?: string;
}

export interface IdentifyOptions {
  /** The agent's region: "us" (RoW, default), "eu", "ap". */
  region?: "us" | "eu" | "ap";
  /** The browser's stable id (same id, same visitor); random by default. */
  browserId?: string;
  url?: string;
}

export interface Identification {
  visitorId: string;
  requestId: string;
}

async function postJson(url: string, body: unknown, method = "POST"): Promise<unknown> {
  const res = await fetch(url, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}: ${await res.text()}`);
  return res.json();
}

function sandboxClient(url: string, stop: () => Promise<void>): RunningSandbox {
  return {
    url,
    siteverifyUrl: `${url}/siteverify`,
    settings: {
      hcaptchaSiteverifyUrl: `${url}/siteverify`,
      recaptchaSiteverifyUrl: `${url}/recaptcha/api/siteverify`,
      fingerprintApiUrls: {
        RoW: `${url}/fingerprint/api`,
        EU: `${url}/fingerprint/eu-api`,
        Asia: `${url}/fingerprint/ap-api`,
      },
      turnstileSiteverifyUrl: `${url}/turnstile/v0/siteverify`,
    },
    async execute(sitekey, host = "localhost") {
      return (await postJson(`${url}/1/execute`, { sitekey, host })) as {
        response: string;
        key: string;
      };
    },
    async recaptchaToken(sitekey, options = {}) {
      const { kind = "v3", host = "localhost", action } = options;
      const answer = (await postJson(`${url}/recaptcha/api2/execute`, {
        sitekey,
        host,
        kind,
        ...(action !== undefined ? { action } : {}),
      })) as { token: string };
      return answer.token;
    },
    async identify(publicKey, options = {}) {
      const answer = (await postJson(`${url}/fingerprint/identify`, {
        publicKey,
        region: options.region ?? "us",
        browserId: options.browserId ?? randomBytes(16).toString("base64url"),
        url: options.url ?? "http://localhost:8000/page",
        userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/124.0.0.0",
      })) as Identification;
      return { visitorId: answer.visitorId, requestId: answer.requestId };
    },
    control: (path, body) => postJson(`${url}/__sandbox/${path}`, body),
    async clearFaults() {
      await postJson(`${url}/__sandbox/faults`, undefined, "DELETE");
    },
    stop,
  };
}

/**
 * Starts the real sandbox process on a free port (SANDBOX_PORT=0), with its test
 * controls on, and reads its URL from the startup line it prints.
 */
export async function startSandbox(
  timeoutMs = 10_000,
  env: Record<string, string> = {},
): Promise<RunningSandbox> {
  if (!existsSync(SANDBOX_MAIN)) {
    throw new Error(`${SANDBOX_MAIN} is missing: build apps/captcha-sandbox first`);
  }
  const service = await startServiceProcess({
    name: "captcha-sandbox",
    args: [SANDBOX_MAIN],
    env: { SANDBOX_PORT: "0", HOST: "127.0.0.1", SANDBOX_CONTROL: "1", ...env },
    timeoutMs,
  });
  return sandboxClient(service.url, () => service.stop());
}
