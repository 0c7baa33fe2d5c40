import type { Hono } from "hono";
import { type Account, createDefaultAccount } from "../../src/account.js";
import { createApp } from "../../src/app.js";
import type { DecisionLogEntry } from "../../src/decision-log.js";
import { DEFAULT_SDK_SETTINGS, type SdkSettings } from "../../src/sdk-settings.js";
import { type AttestSettings, DEFAULT_SETTINGS } from "../../src/settings.js";

export const WEB_ORIGIN = "http://localhost:8000";
/** A fixed clock for token times: 2025-01-01T00:00:00Z. */
export const NOW_MS = Date.UTC(2025, 0, 1);

export interface TestApp {
  app: Hono;
  account: Account;
  settings: AttestSettings;
  logs: DecisionLogEntry[];
}

/** The attest app over a fresh pre-configured account, with decision log lines captured. */
export function testApp(
  options: {
    account?: (account: Account) => void;
    settings?: Partial<AttestSettings>;
    sdk?: Partial<SdkSettings>;
    now?: () => number;
  } = {},
): TestApp {
  const account = createDefaultAccount();
  options.account?.(account);
  const settings = { ...DEFAULT_SETTINGS, ...options.settings };
  const logs: DecisionLogEntry[] = [];
  const app = createApp({
    account,
    settings,
    sdk: { ...DEFAULT_SDK_SETTINGS, ...options.sdk },
    now: options.now ?? (() => NOW_MS),
    log: (entry) => logs.push(entry),
  });
  return { app, account, settings, logs };
}

/** What a socket-less app.request() needs for getConnInfo: the peer address. */
export function connEnv(remoteAddress = "203.0.113.7") {
  return { incoming: { socket: { remoteAddress, remotePort: 50000, remoteFamily: "IPv4" } } };
}

/** POSTs `params` form-encoded to /attest, like the quickstart's fetchApproovToken. */
export function postAttest(
  app: Hono,
  params: [string, string][] | URLSearchParams,
  init: { query?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const body = params instanceof URLSearchParams ? params : new URLSearchParams(params);
  return Promise.resolve(
    app.request(
      `/attest${init.query ?? ""}`,
      { method: "POST", body, headers: init.headers ?? {} },
      connEnv(),
    ),
  );
}
