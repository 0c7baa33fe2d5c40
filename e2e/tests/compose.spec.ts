// docker-compose.yml must stay in step with `npm start` (scripts/services.mjs):
// no Docker engine runs here, so this is what keeps it honest.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { startServiceProcess } from "@shapes/test-stack";
import { SignJWT } from "jose";
import { parse } from "yaml";
import { repoRoot } from "../support/stack.js";

interface ComposeService {
  profiles?: string[];
  build?: { context: string; target: string };
  image?: string;
  command?: string[];
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
}

const compose = parse(readFileSync(join(repoRoot, "docker-compose.yml"), "utf8")) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};

test("compose runs exactly the services npm start runs, on the same ports", async () => {
  const { SERVICE_NAMES, portsFromEnv } = await import(join(repoRoot, "scripts/services.mjs"));
  const defaults = portsFromEnv({});
  const expectedPort: Record<string, number> = {
    "captcha-sandbox": defaults.sandbox,
    attest: defaults.attest,
    "shapes-api": defaults.shapes,
    web: defaults.web,
  };
  const core = Object.entries(compose.services).filter(([, service]) => !service.profiles);
  expect(core.map(([name]) => name).sort()).toEqual([...SERVICE_NAMES].sort());
  expect(expectedPort.web).toBe(8000);
  for (const name of SERVICE_NAMES as string[]) {
    const service = compose.services[name] as ComposeService;
    expect(service.command, name).toEqual([
      "node",
      "scripts/start.mjs",
      "--no-build",
      "--only",
      name,
    ]);
    const port = expectedPort[name];
    // Published on loopback only: the admin API and the sandbox are not for the network.
    expect(service.ports, name).toEqual([`127.0.0.1:${port}:${port}`]);
  }
});

test("compose builds one image that has the launcher, and mounts volumes least-privilege", () => {
  const ours = Object.values(compose.services).filter(
    (s) => s.image === "shapes-web-protection:local",
  );
  expect(ours.length).toBe(5); // the four services and the scale profile's second attest
  const images = new Set(ours.map((s) => s.image));
  expect(images.size).toBe(1);
  const builders = Object.values(compose.services).filter((s) => s.build);
  expect(builders).toHaveLength(1);
  const dockerfile = readFileSync(
    join(repoRoot, builders[0]?.build?.context ?? ".", "Dockerfile"),
    "utf8",
  );
  expect(dockerfile).toMatch(new RegExp(`AS ${builders[0]?.build?.target}\\b`));
  expect(dockerfile).toContain("COPY scripts scripts");
  expect(existsSync(join(repoRoot, "scripts/start.mjs"))).toBe(true);

  expect(compose.services.attest?.volumes).toEqual([
    "account-data:/data",
    "attest-public:/attest-public",
    "token-secrets:/token-secrets",
  ]);
  expect(compose.services["shapes-api"]?.volumes).toEqual(["token-secrets:/token-secrets:ro"]);
  expect(compose.services.web?.volumes).toEqual(["attest-public:/attest-public:ro"]);
  expect(Object.keys(compose.volumes)).toEqual([
    "account-data",
    "attest-public",
    "token-secrets",
    "prometheus-data",
  ]);
  // The image makes the mount points, owned by the user the services run as.
  expect(dockerfile).toMatch(/mkdir -p \/data \/attest-public \/token-secrets/);
  expect(dockerfile).toMatch(/chown node:node \/data \/attest-public \/token-secrets/);
  // Prometheus keeps what the Billing and Monthly dashboards need, across restarts.
  expect(compose.services.prometheus?.volumes).toContain("prometheus-data:/prometheus");
  expect(compose.services.prometheus?.command).toContain("--storage.tsdb.retention.time=400d");
  expect(compose.services["captcha-sandbox"]?.environment?.SANDBOX_CONTROL).toBe("0");
  const attestEnv = compose.services.attest?.environment ?? {};
  expect(attestEnv.HCAPTCHA_SITEVERIFY_URL).toBe("http://captcha-sandbox:8003/siteverify");
  expect(attestEnv.RECAPTCHA_SITEVERIFY_URL).toBe(
    "http://captcha-sandbox:8003/recaptcha/api/siteverify",
  );
  expect(attestEnv.FINGERPRINT_API_URL_ROW).toBe("http://captcha-sandbox:8003/fingerprint/api");
});

test("each service starts only after what it calls is healthy", () => {
  const order = ["captcha-sandbox", "attest", "shapes-api", "web"];
  for (let i = 1; i < order.length; i++) {
    const service = compose.services[order[i] as string] as ComposeService;
    expect(service.depends_on?.[order[i - 1] as string]?.condition).toBe("service_healthy");
  }
});

test("the scale and observability profiles run on files that exist", () => {
  const byProfile = (profile: string) =>
    Object.entries(compose.services)
      .filter(([, service]) => service.profiles?.includes(profile))
      .map(([name]) => name)
      .sort();
  expect(byProfile("scale")).toEqual(["attest-2", "attest-proxy", "redis"]);
  expect(byProfile("observability")).toEqual(["grafana", "prometheus"]);
  // The second instance runs attest exactly as the first, on the same account.
  const second = compose.services["attest-2"] as ComposeService;
  expect(second.command).toEqual(compose.services.attest?.command);
  expect(second.environment).toEqual(compose.services.attest?.environment);
  expect(second.volumes).toEqual(compose.services.attest?.volumes);
  // Every file a profile mounts is in the repository.
  for (const service of Object.values(compose.services)) {
    for (const volume of service.volumes ?? []) {
      const source = volume.split(":")[0] as string;
      if (source.startsWith("./")) expect(existsSync(join(repoRoot, source)), source).toBe(true);
    }
  }
  const proxy = readFileSync(join(repoRoot, "deploy/nginx/attest-proxy.conf"), "utf8");
  // Both instances, each with the passive health check the chaos test relies on.
  expect(proxy).toMatch(
    /server attest:8001 max_fails=1 fail_timeout=1s;\s+server attest-2:8001 max_fails=1 fail_timeout=1s;/,
  );
  expect(proxy).toContain("proxy_set_header Host $http_host;");
  // Overwritten, not appended to: with TRUST_PROXY=1 a client must not choose its ip claim.
  expect(proxy).toContain("proxy_set_header X-Forwarded-For $remote_addr;");
  // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own interpolation syntax
  expect(compose.services.attest?.environment?.TRUST_PROXY).toBe("${TRUST_PROXY:-}");
});

/** Each volume's name (or ./path) and whether the service may write to it. */
const mounts = (service: ComposeService | undefined) =>
  (service?.volumes ?? []).map((volume) => {
    const [source, target, options] = volume.split(":");
    return { source, target, readOnly: options === "ro" };
  });

test("web and shapes-api cannot reach the account file or admin.key", () => {
  // account-data holds account.json (every secret) and admin.key: attest's alone (the
  // CLI runs inside attest's container), and the scale profile's second instance.
  for (const [name, service] of Object.entries(compose.services)) {
    const holdsAccount = mounts(service).some((m) => m.source === "account-data");
    expect(holdsAccount, name).toBe(name === "attest" || name === "attest-2");
  }
  // What attest publishes into each directory is all the reader's volume holds, read-only.
  const attestEnv = compose.services.attest?.environment ?? {};
  const attestTarget = (volume: string) =>
    mounts(compose.services.attest).find((m) => m.source === volume)?.target;
  expect(attestEnv.ATTEST_PUBLIC_DIR).toBe(attestTarget("attest-public"));
  expect(attestEnv.ATTEST_TOKEN_SECRETS_DIR).toBe(attestTarget("token-secrets"));
  expect(attestTarget("account-data")).toBe("/data");
  const readers = { web: "attest-public", "shapes-api": "token-secrets" } as const;
  for (const [name, volume] of Object.entries(readers)) {
    const service = compose.services[name];
    expect(mounts(service), name).toEqual([
      { source: volume, target: attestTarget(volume), readOnly: true },
    ]);
    // The launcher in the container reads the published file from where it is mounted.
    const variable = volume === "attest-public" ? "ATTEST_PUBLIC_DIR" : "ATTEST_TOKEN_SECRETS_DIR";
    expect(service?.environment?.[variable], name).toBe(attestTarget(volume));
  }
});

/**
 * A container's launcher (`start.mjs --only <service>`) in a directory tree that holds
 * only what compose mounts into it: ATTEST_DATA_DIR points at an empty directory.
 */
async function startAlone(service: string, env: Record<string, string>, port: number) {
  const emptyDataDir = await mkdtemp(join(tmpdir(), `shapes-compose-${service}-`));
  return startServiceProcess({
    name: service,
    args: ["scripts/start.mjs", "--no-build", "--only", service],
    cwd: repoRoot,
    env: { ATTEST_DATA_DIR: emptyDataDir, ...env },
    timeoutMs: 30_000,
  }).then((running) => {
    expect(running.url).toBe(`http://127.0.0.1:${port}`);
    return running;
  });
}

test("the sandbox container starts without an account (compose gives it no account volume)", async () => {
  // attest waits for the sandbox, so the sandbox must not wait for attest's account.
  const sandbox = await startAlone("captcha-sandbox", { SANDBOX_PORT: "18090" }, 18090);
  await sandbox.stop();
});

test("web runs on the public file alone, shapes-api on the token secrets alone", async () => {
  // attest's own init publishes the files, into directories apart from its data dir.
  const root = await mkdtemp(join(tmpdir(), "shapes-compose-published-"));
  const published = {
    ATTEST_PUBLIC_DIR: join(root, "attest-public"),
    ATTEST_TOKEN_SECRETS_DIR: join(root, "token-secrets"),
  };
  execFileSync(process.execPath, ["apps/attest/dist/init.js"], {
    cwd: repoRoot,
    env: { ...process.env, ATTEST_DATA_DIR: join(root, "data"), ...published },
    stdio: "ignore",
  });
  const account = JSON.parse(readFileSync(join(root, "data", "account.json"), "utf8"));

  const web = await startAlone(
    "web",
    { WEB_PORT: "18091", ATTEST_PUBLIC_DIR: published.ATTEST_PUBLIC_DIR },
    18091,
  );
  const api = await startAlone(
    "shapes-api",
    {
      SHAPES_PORT: "18092",
      ATTEST_TOKEN_SECRETS_DIR: published.ATTEST_TOKEN_SECRETS_DIR,
      WEB_ORIGIN: "http://localhost:18091",
    },
    18092,
  );
  try {
    // The page carries the account's site key, read from the public file.
    const script = await fetch(`${web.url}/approov-hcaptcha-protected/assets/js/app.js`);
    expect(await script.text()).toContain(account.siteKey);
    // The API checks a token signed with the account secret, read from the secrets file.
    const token = await new SignJWT({ exp: Math.floor(Date.now() / 1000) + 60 })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .sign(Buffer.from(account.secret, "base64"));
    const hello = await fetch(`${api.url}/v2/hello`, { headers: { "Approov-Token": token } });
    expect(hello.status).toBe(200);
  } finally {
    await Promise.all([web.stop(), api.stop()]);
    await rm(root, { recursive: true, force: true });
  }
});
