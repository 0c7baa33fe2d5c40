// What the chaos test runs, all on loopback: the captcha sandbox, a real redis-server, two
// attest instances sharing one data directory (one account) and that Redis, the real nginx
// with deploy/nginx/attest-proxy.conf in front of them, and the page that serves approov.js.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  freePort,
  type RunningNginx,
  type RunningRedis,
  type ServiceProcess,
  startNginx,
  startRedis,
  startServiceProcess,
} from "@shapes/test-stack";
import { startPageServer } from "../web-sdk/support/page-server.js";
import { createAccount, repoRoot, sdkFile, startSandbox } from "../web-sdk/support/stack.js";

export interface AttestInstance {
  port: number;
  /** http://127.0.0.1:<port>, straight to the instance (not through the proxy). */
  url: string;
  process: ServiceProcess;
}

export interface ChaosStack {
  pageOrigin: string;
  /** The proxy: what the SDK and the admin client talk to. */
  proxy: RunningNginx;
  redis: RunningRedis;
  instances: [AttestInstance, AttestInstance];
  account: { siteKey: string; secret: string };
  adminKey: string;
  /** Starts instance `index` again on its port (after a kill). */
  restartInstance(index: 0 | 1): Promise<AttestInstance>;
  stop(): Promise<void>;
}

export async function startChaosStack(): Promise<ChaosStack> {
  const dataDir = mkdtempSync(join(tmpdir(), "chaos-attest-"));
  const stops: (() => Promise<void>)[] = [
    async () => rmSync(dataDir, { recursive: true, force: true }),
  ];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const page = await startPageServer(sdkFile);
    stops.push(page.close);
    const sandbox = await startSandbox();
    stops.push(() => sandbox.stop());
    const redis = await startRedis();
    stops.push(() => redis.dispose());

    const account = createAccount(dataDir, (draft) => {
      // Tokens outlive the run, so each can be verified afterwards as issued.
      draft.tokenLifetimeSeconds = 600;
    });
    const adminKey = readFileSync(join(dataDir, "admin.key"), "utf8").trim();

    const ports = [await freePort(), await freePort()] as const;
    const live = new Set<ServiceProcess>();
    stops.push(async () => {
      for (const child of live) await child.stop("SIGKILL");
    });
    const startInstance = async (index: 0 | 1): Promise<AttestInstance> => {
      const port = ports[index];
      const child = await startServiceProcess({
        name: "attest",
        args: ["apps/attest/dist/main.js"],
        env: {
          ATTEST_PORT: String(port),
          HOST: "127.0.0.1",
          ATTEST_DATA_DIR: dataDir,
          REDIS_URL: redis.url,
          HCAPTCHA_SITEVERIFY_URL: `${sandbox.url}/siteverify`,
          WEB_ORIGIN: page.origin,
          TRUST_PROXY: "1",
        },
        cwd: repoRoot,
      });
      live.add(child);
      void child.child.once("exit", () => live.delete(child));
      return { port, url: `http://127.0.0.1:${port}`, process: child };
    };
    // One after the other: the first seeds Redis with the account, the second takes it.
    const instances: [AttestInstance, AttestInstance] = [
      await startInstance(0),
      await startInstance(1),
    ];
    // The deploy file itself, only its addresses moved to loopback.
    const proxy = await startNginx(
      join(repoRoot, "deploy/nginx/attest-proxy.conf"),
      (config, port) =>
        [
          ["server attest:8001 ", `server 127.0.0.1:${ports[0]} `],
          ["server attest-2:8001 ", `server 127.0.0.1:${ports[1]} `],
          ["listen 8011;", `listen 127.0.0.1:${port};`],
        ].reduce((text, [from = "", to = ""]) => {
          if (!text.includes(from)) throw new Error(`attest-proxy.conf has no "${from.trim()}"`);
          return text.replace(from, to);
        }, config),
    );
    stops.push(() => proxy.stop());
    return {
      pageOrigin: page.origin,
      proxy,
      redis,
      instances,
      account: { siteKey: account.siteKey, secret: account.secret },
      adminKey,
      restartInstance: async (index) => {
        instances[index] = await startInstance(index);
        return instances[index];
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
