import type { Hono } from "hono";
import { type Account, createDefaultAccount } from "../../src/account/account.js";
import { AccountHolder, type PersistAccount } from "../../src/account/account-holder.js";
import type { AdminLogEntry } from "../../src/admin/admin-routes.js";
import { createApp } from "../../src/http/app.js";
import type { DecisionLogEntry } from "../../src/observability/decision-log.js";
import type { LogLine } from "../../src/observability/log-line.js";
import { DEFAULT_SDK_SETTINGS, type SdkSettings } from "../../src/sdk/sdk-settings.js";
import { type AttestSettings, DEFAULT_SETTINGS } from "../../src/settings.js";

export const WEB_ORIGIN = "http://localhost:8000";
/** A fixed clock for token times: 2025-01-01T00:00:00Z. */
export const NOW_MS = Date.UTC(2025, 0, 1);

/** The admin key of test apps (43 base64url characters, like a real one). */
export const TEST_ADMIN_KEY = "dGVzdC1hZG1pbi1rZXktdGVzdC1hZG1pbi1rZXktdGVz";

export interface TestApp {
  app: Hono;
  /** The account as created (before any admin change; `store.get()` has the current one). */
  account: Account;
  store: AccountHolder;
  settings: AttestSettings;
  logs: DecisionLogEntry[];
  adminLogs: AdminLogEntry[];
  /** The other structured lines: access log, errors. */
  lines: LogLine[];
}

/** The attest app over a fresh pre-configured account, with decision log lines captured. */
export function testApp(
  options: {
    account?: (account: Account) => void;
    settings?: Partial<AttestSettings>;
    sdk?: Partial<SdkSettings>;
    now?: () => number;
    persist?: PersistAccount;
  } = {},
): TestApp {
  const account = createDefaultAccount();
  options.account?.(account);
  const settings = { ...DEFAULT_SETTINGS, ...options.settings };
  const logs: DecisionLogEntry[] = [];
  const adminLogs: AdminLogEntry[] = [];
  const lines: LogLine[] = [];
  const now = options.now ?? (() => NOW_MS);
  const store = new AccountHolder(account, {
    now,
    ...(options.persist ? { persist: options.persist } : {}),
  });
  const app = createApp({
    account: store,
    adminKey: TEST_ADMIN_KEY,
    settings,
    sdk: { ...DEFAULT_SDK_SETTINGS, ...options.sdk },
    now,
    log: (entry) => logs.push(entry),
    adminLog: (entry) => adminLogs.push(entry),
    logWriter: (line) => lines.push(line),
  });
  return { app, account, store, settings, logs, adminLogs, lines };
}

/** One admin API call with the test admin key (or `key`; null sends no Authorization). */
export function adminCall(
  app: Hono,
  method: string,
  path: string,
  body?: unknown,
  key: string | null = TEST_ADMIN_KEY,
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (key !== null) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  return Promise.resolve(
    app.request(
      `/admin/v1${path}`,
      { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) },
      connEnv(),
    ),
  );
}

/** An admin call that must answer 200; resolves its JSON. */
export async function adminOk<T = Record<string, unknown>>(
  app: Hono,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await adminCall(app, method, path, body);
  if (res.status !== 200)
    throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
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
