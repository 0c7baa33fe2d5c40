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
