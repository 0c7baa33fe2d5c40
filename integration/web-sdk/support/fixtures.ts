import { test as base, type Page, type Request } from "@playwright/test";
import { HCAPTCHA_TEST_KEYS } from "@shapes/protocol";
import { installHcaptcha } from "./hcaptcha-stub.js";
import { type AccountSettings, type Stack, startStack } from "./stack.js";

type Sdk = typeof import("@shapes/web-sdk");

/** What a test learns about an error thrown in the page (errors do not cross as objects). */
export interface ErrorReport {
  name: string;
  message: string;
  /** The SDK classes it is an instance of, most specific last. */
  classes: string[];
  errors?: unknown;
  status?: number;
}

declare global {
  interface Window {
    sdk: Sdk;
    describeError(error: unknown): ErrorReport;
  }
}

export const PUBLISHER = HCAPTCHA_TEST_KEYS.publisher;

/** The service requests (POSTs to attest) a page made, in order. */
export class ServiceCalls {
  readonly requests: Request[] = [];

  paths(): string[] {
    return this.requests.map((request) => new URL(request.url()).pathname);
  }

  async statuses(): Promise<number[]> {
    return Promise.all(
      this.requests.map(async (request) => (await request.response())?.status() ?? 0),
    );
  }

  clear(): void {
    this.requests.length = 0;
  }
}

interface TestFixtures {
  /**
   * The blank test page with the built SDK imported as `window.sdk`, and a global
   * `hcaptcha` that gets single-use tokens from the sandbox (SINGLE_USE_SITE_KEY).
   */
  sdkPage: Page;
  serviceCalls: ServiceCalls;
  /** initializeSession's argument for this stack with hCaptcha's publisher test key. */
  sdkConfig: { approovHost: string; approovSiteKey: string; hcaptchaSiteKey: string };
}

interface WorkerFixtures {
  accountSettings: AccountSettings;
  attestEnv: Record<string, string>;
  stack: Stack;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  accountSettings: [{}, { scope: "worker", option: true }],
  attestEnv: [{}, { scope: "worker", option: true }],
  stack: [
    async ({ accountSettings, attestEnv }, use) => {
      const stack = await startStack(accountSettings, attestEnv);
      await use(stack);
      await stack.stop();
    },
    { scope: "worker", timeout: 60_000 },
  ],

  sdkConfig: async ({ stack }, use) => {
    await use({
      approovHost: stack.attestUrl,
      approovSiteKey: stack.account.siteKey,
      hcaptchaSiteKey: PUBLISHER.siteKey,
    });
  },

  serviceCalls: async ({ page, stack }, use) => {
    const calls = new ServiceCalls();
    page.on("request", (request) => {
      if (request.method() === "POST" && request.url().startsWith(`${stack.attestUrl}/`)) {
        calls.requests.push(request);
      }
    });
    await use(calls);
  },

  sdkPage: async ({ page, stack }, use) => {
    await installHcaptcha(page, stack);
    await page.goto(`${stack.pageOrigin}/`);
    await page.evaluate(async () => {
      const path = "/approov.js";
      window.sdk = await import(path);
      window.describeError = (error: unknown): ErrorReport => {
        const { ApproovError, ApproovSessionError, ApproovFetchError, ApproovServiceError } =
          window.sdk;
        const classes = [
          ["Error", Error],
          ["ApproovError", ApproovError],
          ["ApproovSessionError", ApproovSessionError],
          ["ApproovFetchError", ApproovFetchError],
          ["ApproovServiceError", ApproovServiceError],
        ] as const;
        const e = error as { name?: string; message?: string; errors?: unknown; status?: number };
        return {
          name: String(e?.name),
          message: String(e?.message),
          classes: classes.filter(([, type]) => error instanceof type).map(([name]) => name),
          errors:
            e?.errors instanceof Error
              ? { name: e.errors.name, message: e.errors.message }
              : e?.errors,
          status: e?.status,
        };
      };
    });
    await use(page);
  },
});

export { expect } from "@playwright/test";
export { SINGLE_USE_SITE_KEY } from "./stack.js";
