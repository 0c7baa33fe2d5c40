// docker-compose.yml must stay in step with `npm start` (scripts/services.mjs):
// no Docker engine runs here, so this is what keeps it honest.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { parse } from "yaml";
import { repoRoot } from "../support/stack.js";

interface ComposeService {
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
  expect(Object.keys(compose.services).sort()).toEqual([...SERVICE_NAMES].sort());
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
    expect(service.ports, name).toEqual([`${port}:${port}`]);
  }
});

test("compose builds one image that has the launcher, and shares the account volume", () => {
  const images = new Set(Object.values(compose.services).map((s) => s.image));
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
  expect(Object.keys(compose.volumes)).toEqual(["account-data"]);
  expect(compose.services.attest?.environment?.HCAPTCHA_SITEVERIFY_URL).toBe(
    "http://captcha-sandbox:8003/siteverify",
  );
});

test("each service starts only after what it calls is healthy", () => {
  const order = ["captcha-sandbox", "attest", "shapes-api", "web"];
  for (let i = 1; i < order.length; i++) {
    const service = compose.services[order[i] as string] as ComposeService;
    expect(service.depends_on?.[order[i - 1] as string]?.condition).toBe("service_healthy");
  }
});
