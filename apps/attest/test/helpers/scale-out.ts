import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HCAPTCHA_TEST_KEYS } from "@shapes/protocol";
import { adminKeyPath } from "../../src/admin/admin-key.js";
import { DpopClient } from "./dpop-client.js";
import type { RunningRedis } from "./redis-server.js";
import { type RunningAttest, startAttest } from "./start-attest.js";
import type { RunningSandbox } from "./start-sandbox.js";

/** The origin every instance's proofs name, as behind one proxy (ATTEST_PUBLIC_ORIGIN). */
export const PUBLIC_ORIGIN = "http://attest.test";
export const PUBLISHER = HCAPTCHA_TEST_KEYS.publisher;

/** A real attest process on the shared Redis, with its own data directory and admin key. */
export interface Instance extends RunningAttest {
  dir: string;
  adminKey: string;
}

/** The env of an instance on `redis`, checking hCaptcha against `sandbox`. */
export function instanceEnv(redis: RunningRedis, sandbox: RunningSandbox): Record<string, string> {
  return {
    REDIS_URL: redis.url,
    HCAPTCHA_SITEVERIFY_URL: sandbox.siteverifyUrl,
    ATTEST_PUBLIC_ORIGIN: PUBLIC_ORIGIN,
  };
}

/** Starts an instance over a fresh data directory (its own file, its own admin key). */
export async function startInstance(env: Record<string, string>): Promise<Instance> {
  const dir = await mkdtemp(join(tmpdir(), "attest-scale-"));
  const attest = await startAttest(dir, 30_000, env);
  const adminKey = (await readFile(adminKeyPath(dir), "utf8")).trim();
  return { ...attest, dir, adminKey };
}

export async function stopInstance(instance: Instance | undefined): Promise<void> {
  if (!instance) return;
  await instance.stop("SIGKILL");
  await rm(instance.dir, { recursive: true, force: true });
}

export function admin(
  instance: Instance,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  return fetch(`${instance.url}/admin/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${instance.adminKey}`,
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

export interface AccountView {
  siteKey: string;
  tokenLifetimeSeconds: number;
  apis: Record<string, { allowWeb: boolean; jwe: boolean }>;
  hcaptcha: { sites: Record<string, { rateLimit: number }> };
}

export async function accountOf(instance: Instance): Promise<AccountView> {
  const res = await admin(instance, "GET", "/account");
  if (res.status !== 200) throw new Error(`GET /account: HTTP ${res.status}`);
  return (await res.json()) as AccountView;
}

export const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Polls `probe` until it returns true; resolves the time it took (ms), throws after `ms`. */
export async function within(ms: number, probe: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await probe()) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await sleep(50);
  }
}

/** The plain flow's form, with the publisher test key by default (always passes). */
export function attestForm(
  siteKey: string,
  api = "localhost",
  hcaptcha: { siteKey: string; response: string } = PUBLISHER,
): URLSearchParams {
  return new URLSearchParams([
    ["api", api],
    ["approov-site-key", siteKey],
    ["hcaptcha-site-key", hcaptcha.siteKey],
    ["hcaptcha-token", hcaptcha.response],
  ]);
}

export function postAttest(instance: Instance, form: URLSearchParams): Promise<Response> {
  return fetch(`${instance.url}/attest`, { method: "POST", body: form });
}

/**
 * approov.js's session over real sockets, talking to any instance: proofs name the
 * public origin, the latest DPoP-Nonce seen (from whichever instance) is kept.
 */
export class SessionClient {
  private constructor(readonly dpop: DpopClient) {}

  static async create(): Promise<SessionClient> {
    return new SessionClient(await DpopClient.create(Date.now, PUBLIC_ORIGIN));
  }

  /** POSTs `form` to `instance` with `proof` (or none); keeps the answer's nonce. */
  async send(
    instance: Instance,
    path: string,
    form: [string, string][],
    proof?: string,
  ): Promise<Response> {
    const res = await fetch(`${instance.url}${path}`, {
      method: "POST",
      body: new URLSearchParams(form),
      headers: proof !== undefined ? { DPoP: proof } : {},
    });
    const nonce = res.headers.get("dpop-nonce");
    if (nonce) this.dpop.nonce = nonce;
    return res;
  }

  /** A fresh proof for `path` carrying the latest nonce. */
  proof(path: string): Promise<string> {
    return this.dpop.proof(path);
  }

  /** Gets a nonce from `instance` (the SDK's first, proof-less request). */
  async primeNonce(instance: Instance): Promise<string> {
    await this.send(instance, "/token", []);
    if (!this.dpop.nonce) throw new Error("no DPoP-Nonce answered");
    return this.dpop.nonce;
  }
}

export function tokenForm(siteKey: string): [string, string][] {
  return [
    ["api", "localhost"],
    ["approov-site-key", siteKey],
    ["hcaptcha-site-key", PUBLISHER.siteKey],
    ["hcaptcha-token", PUBLISHER.response],
  ];
}
