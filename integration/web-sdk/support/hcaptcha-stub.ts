import type { Page } from "@playwright/test";
import { SINGLE_USE_SITE_KEY, type Stack } from "./stack.js";

declare global {
  interface Window {
    /** The part of hCaptcha's browser API the seed's examples use. */
    hcaptcha: { execute(options?: { async: boolean }): Promise<{ response: string; key: string }> };
  }
}

/**
 * A global `hcaptcha` whose `execute({async: true})` gets a real single-use token from the
 * sandbox's `POST /1/execute` (what its invisible widget does), for the seed's examples.
 */
export async function installHcaptcha(page: Page, stack: Stack, siteKey = SINGLE_USE_SITE_KEY) {
  await page.addInitScript(
    ({ sandboxUrl, siteKey }) => {
      window.hcaptcha = {
        async execute() {
          const response = await fetch(`${sandboxUrl}/1/execute`, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ sitekey: siteKey, host: location.hostname }),
          });
          return response.json();
        },
      };
    },
    { sandboxUrl: stack.sandboxUrl, siteKey },
  );
}
