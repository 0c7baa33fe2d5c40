// docker-compose.yml must stay in step with `npm start` (scripts/services.mjs):
// no Docker engine runs here, so this is what keeps it honest.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
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

test("compose builds one image that has the launcher, and shares the account volume", () => {
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

  expect(compose.services.attest?.volumes).toEqual(["account-data:/data"]);
  expect(compose.services["shapes-api"]?.volumes).toEqual(["account-data:/data:ro"]);
  expect(compose.services.web?.volumes).toEqual(["account-data:/data:ro"]);
  expect(Object.keys(compose.volumes)).toEqual(["account-data", "prometheus-data"]);
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
  expect(proxy).toMatch(/server attest:8001;\s+server attest-2:8001;/);
  expect(proxy).toContain("proxy_set_header Host $http_host;");
  // Overwritten, not appended to: with TRUST_PROXY=1 a client must not choose its ip claim.
  expect(proxy).toContain("proxy_set_header X-Forwarded-For $remote_addr;");
  // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own interpolation syntax
  expect(compose.services.attest?.environment?.TRUST_PROXY).toBe("${TRUST_PROXY:-}");
});

test("the sandbox container starts without an account (compose gives it no account volume)", async () => {
  // attest waits for the sandbox, so the sandbox must not wait for attest's account.
  const { spawn } = await import("node:child_process");
  const { mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const emptyDataDir = mkdtempSync(join(tmpdir(), "shapes-compose-sandbox-"));
  const child = spawn(
    process.execPath,
    ["scripts/start.mjs", "--no-build", "--only", "captcha-sandbox"],
    {
      cwd: repoRoot,
      env: { ...process.env, ATTEST_DATA_DIR: emptyDataDir, SANDBOX_PORT: "18090" },
    },
  );
  try {
    const listening = await new Promise<string>((resolve, reject) => {
      let output = "";
      const timer = setTimeout(
        () => reject(new Error(`no listening line in 10 s: ${output}`)),
        10_000,
      );
      child.stdout.on("data", (chunk) => {
        output += chunk;
        if (output.includes("listening on")) {
          clearTimeout(timer);
          resolve(output);
        }
      });
      child.once("exit", (code) => reject(new Error(`exited ${code}: ${output}`)));
    });
    expect(listening).toContain("captcha-sandbox listening on http://127.0.0.1:18090");
  } finally {
    child.kill("SIGTERM");
  }
});
