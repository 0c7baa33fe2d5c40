import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The verifier and approov.js as a team outside this repository gets them: `npm pack`
 * tarballs installed into a fresh project (no workspace links), used from ESM and from
 * require() (Node 20.19+ loads ES modules from require).
 */
const REPO = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const SECRET = Buffer.alloc(32, 7);

let dir: string;
let project: string;

function pack(workspace: string): string {
  const out = execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], {
    cwd: join(REPO, workspace),
    encoding: "utf8",
  });
  return join(dir, out.trim().split("\n").at(-1) as string);
}

function node(args: string[], env: Record<string, string> = {}): string {
  return execFileSync(process.execPath, args, {
    cwd: project,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "verifier-pack-"));
  const tarballs = {
    "@shapes/protocol": pack("packages/protocol"),
    "@shapes/verifier": pack("packages/verifier"),
    "@shapes/web-sdk": pack("packages/web-sdk"),
  };
  project = join(dir, "app");
  mkdirSync(project);
  const dependencies = Object.fromEntries(
    Object.entries(tarballs).map(([name, file]) => [name, `file:${file}`]),
  );
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "outside-app", private: true, dependencies }),
  );
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--silent"], {
    cwd: project,
    stdio: "ignore",
  });
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("npm pack + install outside the workspace", () => {
  it("installs real files, not workspace links, with types and an exports map", () => {
    const installed = join(project, "node_modules", "@shapes", "verifier");
    expect(readdirSync(join(installed, "dist"))).toEqual(
      expect.arrayContaining(["index.js", "index.d.ts", "express.js", "fastify.js", "koa.js"]),
    );
    const manifest = JSON.parse(
      node(["-p", "JSON.stringify(require('./node_modules/@shapes/verifier/package.json'))"]),
    );
    expect(Object.keys(manifest.exports)).toEqual(
      expect.arrayContaining([".", "./hono", "./express", "./fastify", "./koa", "./next"]),
    );
    for (const framework of ["hono", "express", "fastify", "koa"]) {
      expect(manifest.peerDependenciesMeta[framework]).toEqual({ optional: true });
    }
  });

  it("verifies a token from ESM and from require()", async () => {
    const token = await new SignJWT({ exp: Math.floor(Date.now() / 1000) + 60, embed: {} })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .sign(SECRET);
    const env = { TOKEN: token, SECRET: SECRET.toString("base64") };
    const check = `
      const verify = createApproovTokenVerifier({ secret: decodeApproovSecret(process.env.SECRET) });
      verify(process.env.TOKEN).then((claims) => console.log("exp", typeof claims.exp),
        (error) => console.log("refused", error.code));`;
    const esm = node(
      [
        "--input-type=module",
        "-e",
        `import { createApproovTokenVerifier, decodeApproovSecret } from "@shapes/verifier";${check}`,
      ],
      env,
    );
    expect(esm.trim()).toBe("exp number");
    const cjs = node(
      [
        "-e",
        `const { createApproovTokenVerifier, decodeApproovSecret } = require("@shapes/verifier");${check}`,
      ],
      env,
    );
    expect(cjs.trim()).toBe("exp number");
    const forged = node(
      [
        "-e",
        `const { createApproovTokenVerifier, decodeApproovSecret } = require("@shapes/verifier");${check}`,
      ],
      { ...env, SECRET: Buffer.alloc(32, 8).toString("base64") },
    );
    expect(forged.trim()).toBe("refused bad-signature");
    const adapter = node([
      "-e",
      `console.log(typeof require("@shapes/verifier/express").approovGuard)`,
    ]);
    expect(adapter.trim()).toBe("function");
  });

  it("approov.js installs as a package too, beside the seed's zip", () => {
    const sdk = node([
      "--input-type=module",
      "-e",
      `import * as sdk from "@shapes/web-sdk"; console.log(Object.keys(sdk).sort().join(","));`,
    ]);
    expect(sdk.trim().split(",")).toEqual(
      expect.arrayContaining([
        "Approov",
        "ApproovError",
        "ApproovServiceError",
        "ApproovSessionError",
      ]),
    );
    expect(readdirSync(join(project, "node_modules", "@shapes", "web-sdk", "dist"))).toEqual(
      expect.arrayContaining(["approov.js", "approov.d.ts"]),
    );
  });
});
