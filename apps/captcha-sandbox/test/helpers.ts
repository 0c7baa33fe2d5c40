import type { createApp } from "../src/app.js";

export type SandboxApp = ReturnType<typeof createApp>;

/** A well-formed, non-test hCaptcha secret ("0x" + 40 hex). */
export const SECRET = `0x${"ab12".repeat(10)}`;

/** A random site key that is not one of hCaptcha's test keys. */
export function randomSiteKey(): string {
  return crypto.randomUUID();
}

export async function issue(
  app: SandboxApp,
  sitekey: string,
  host = "www.example.com",
): Promise<{ response: string; key: string }> {
  const answer = await app.request("/1/execute", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ sitekey, host }),
  });
  if (answer.status !== 200) throw new Error(`execute answered ${answer.status}`);
  return (await answer.json()) as { response: string; key: string };
}

export async function siteverify(
  app: SandboxApp,
  fields: Record<string, string>,
): Promise<Record<string, unknown>> {
  const answer = await app.request("/siteverify", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
  if (answer.status !== 200) throw new Error(`siteverify answered ${answer.status}`);
  return (await answer.json()) as Record<string, unknown>;
}

/** A well-formed, non-test reCAPTCHA secret ("6L" + 38 of [A-Za-z0-9_-]). */
export const RECAPTCHA_SECRET = `6L${"Ab_-12".repeat(6)}cd`;

/** A well-formed Fingerprint secret API key. */
export const FP_SECRET = "SandboxSecretKey0123456789";

/** Issues a reCAPTCHA token as the browser API does. */
export async function issueRecaptcha(
  app: SandboxApp,
  request: { sitekey: string; kind: "v2" | "v3"; action?: string; host?: string },
): Promise<string> {
  const answer = await app.request("/recaptcha/api2/execute", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ host: "www.example.com", ...request }),
  });
  if (answer.status !== 200) throw new Error(`recaptcha execute answered ${answer.status}`);
  return ((await answer.json()) as { token: string }).token;
}

export async function recaptchaSiteverify(
  app: SandboxApp,
  fields: Record<string, string>,
): Promise<Record<string, unknown>> {
  const answer = await app.request("/recaptcha/api/siteverify", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
  if (answer.status !== 200) throw new Error(`recaptcha siteverify answered ${answer.status}`);
  return (await answer.json()) as Record<string, unknown>;
}

export interface IdentifyAnswer {
  visitorId: string;
  requestId: string;
  confidence: { score: number };
  visitorFound: boolean;
}

/** What the Fingerprint agent posts for one `get()`. */
export async function identify(
  app: SandboxApp,
  fields: Record<string, unknown> = {},
  env?: unknown,
): Promise<IdentifyAnswer> {
  const answer = await app.request(
    "/fingerprint/identify",
    {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        publicKey: "PublicKey0123456789ab",
        region: "us",
        browserId: "browser-id-0123456789",
        url: "http://localhost:8000/fingerprint/",
        userAgent:
          "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.91 Safari/537.36",
        ...fields,
      }),
    },
    env as never,
  );
  if (answer.status !== 200) throw new Error(`identify answered ${answer.status}`);
  return (await answer.json()) as IdentifyAnswer;
}

/** A Fingerprint Server API GET with the secret in `Auth-API-Key` (no header for null). */
export function fpApi(app: SandboxApp, path: string, secret: string | null = FP_SECRET) {
  return app.request(path, { headers: secret === null ? {} : { "Auth-API-Key": secret } });
}

/** A `/__sandbox` control call with a JSON body. */
export function control(app: SandboxApp, path: string, body?: unknown, method = "POST") {
  return app.request(`/__sandbox${path}`, {
    method,
    headers: { "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}
