import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { approov } from "./helpers/run-approov.js";
import {
  expectPythonZipTestPasses,
  expectUnzipTestPassesIfInstalled,
  pythonZipExtract,
  pythonZipInfo,
} from "./helpers/zip-readers.js";

const CLI_ROOT = fileURLToPath(new URL("..", import.meta.url));
const PROTOCOL_ROOT = fileURLToPath(new URL("../../protocol", import.meta.url));
const WEB_SDK_ROOT = fileURLToPath(new URL("../../web-sdk", import.meta.url));
const BUILT_SDK = join(WEB_SDK_ROOT, "dist", "approov.js");
const SEED_ARGS = ["sdk", "-packageID", "approov.js.zip", "-getClientPackage", "approov.js.zip"];

let dir: string;
beforeEach(() => {
  // realpath: the CLI prints resolved paths, and the temp dir may sit behind a symlink.
  dir = realpathSync(mkdtempSync(join(tmpdir(), "cli-sdk-")));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Checks `file` with independent readers and returns the extracted approov.js. */
function extractedSdk(file: string): Buffer {
  expectPythonZipTestPasses(file);
  expectUnzipTestPassesIfInstalled(file);
  expect(pythonZipInfo(file).map((i) => i.name)).toEqual(["approov.js", "README.txt"]);
  const out = join(dir, "extracted");
  rmSync(out, { recursive: true, force: true });
  pythonZipExtract(file, out);
  return readFileSync(join(out, "approov.js"));
}

describe("approov sdk (the built binary)", () => {
  it("runs the seed's command verbatim: no attest, no admin key, a valid archive", async () => {
    const result = await approov(SEED_ARGS, { cwd: dir, env: {} });
    expect(result).toEqual({
      code: 0,
      stdout: `web SDK package approov.js.zip written to ${join(dir, "approov.js.zip")}\n`,
      stderr: "",
    });
    const sdk = extractedSdk(join(dir, "approov.js.zip"));
    expect(sdk.equals(readFileSync(BUILT_SDK))).toBe(true);
    expect(readFileSync(join(dir, "extracted", "README.txt"), "utf8")).toContain(
      "Copy approov.js into your project",
    );
  });

  it("writes to any path, relative or absolute, and replaces an existing file", async () => {
    mkdirSync(join(dir, "vendor"));
    const relative = await approov(
      ["sdk", "-packageID", "approov.js.zip", "-getClientPackage", "vendor/sdk.zip"],
      { cwd: dir },
    );
    expect(relative.stdout).toBe(
      `web SDK package approov.js.zip written to ${join(dir, "vendor", "sdk.zip")}\n`,
    );
    expectPythonZipTestPasses(join(dir, "vendor", "sdk.zip"));

    const target = join(dir, "vendor", "old.zip");
    writeFileSync(target, "not a zip, and longer than nothing at all");
    const again = await approov(
      ["sdk", "-packageid", "approov.js.zip", "--getClientPackage", target],
      { cwd: tmpdir() },
    );
    expect(again).toEqual({
      code: 0,
      stdout: `web SDK package approov.js.zip written to ${target}\n`,
      stderr: "",
    });
    expect(extractedSdk(target).equals(readFileSync(BUILT_SDK))).toBe(true);
    expect(readdirSync(join(dir, "vendor")).sort()).toEqual(["old.zip", "sdk.zip"]);
  });

  it("refuses an unknown package ID (exit 1) and a wrong command line (exit 2), writing nothing", async () => {
    const wrongId = await approov(
      ["sdk", "-packageID", "approov.zip", "-getClientPackage", "approov.js.zip"],
      { cwd: dir },
    );
    expect(wrongId).toEqual({
      code: 1,
      stdout: "",
      stderr: 'approov: unknown package ID "approov.zip" (valid IDs: approov.js.zip)\n',
    });
    const example = "approov sdk -packageID approov.js.zip -getClientPackage approov.js.zip";
    expect(await approov(["sdk", "-getClientPackage", "approov.js.zip"], { cwd: dir })).toEqual({
      code: 2,
      stdout: "",
      stderr: `approov: approov sdk needs -packageID <id> (for example: ${example})\n`,
    });
    expect(await approov(["sdk", "-packageID", "approov.js.zip"], { cwd: dir })).toEqual({
      code: 2,
      stdout: "",
      stderr: `approov: approov sdk needs -getClientPackage <file> (for example: ${example})\n`,
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it("says why it cannot write: a directory, a missing directory", async () => {
    const onDir = await approov(["sdk", "-packageID", "approov.js.zip", "-getClientPackage", "."], {
      cwd: dir,
    });
    expect(onDir).toEqual({
      code: 1,
      stdout: "",
      stderr: `approov: cannot write ${dir}: it is a directory\n`,
    });
    const noDir = await approov(
      ["sdk", "-packageID", "approov.js.zip", "-getClientPackage", "missing/sdk.zip"],
      { cwd: dir },
    );
    expect(noDir.code).toBe(1);
    expect(noDir.stderr).toBe(
      `approov: cannot write ${join(dir, "missing", "sdk.zip")}: the directory ${join(dir, "missing")} does not exist\n`,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it("says to build when the web SDK is installed but not built, or not installed", async () => {
    // A copy of the built CLI in a project whose @shapes/web-sdk has no dist/ yet.
    const project = join(dir, "project");
    const cli = join(project, "packages", "cli");
    for (const part of ["bin", "dist", "package.json"]) {
      cpSync(join(CLI_ROOT, part), join(cli, part), { recursive: true });
    }
    // Its other dependency, installed as npm would (the wire contracts it reads).
    const protocol = join(project, "node_modules", "@shapes", "protocol");
    for (const part of ["dist", "package.json"]) {
      cpSync(join(PROTOCOL_ROOT, part), join(protocol, part), { recursive: true });
    }
    const copy = (args: string[]) =>
      approov(args, { cwd: dir, bin: join(cli, "bin", "approov.js") });

    const notInstalled = await copy(SEED_ARGS);
    expect(notInstalled).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "approov: the web SDK package @shapes/web-sdk is not installed (run npm install, then npm run build)\n",
    });

    const webSdk = join(project, "node_modules", "@shapes", "web-sdk");
    mkdirSync(webSdk, { recursive: true });
    cpSync(join(WEB_SDK_ROOT, "package.json"), join(webSdk, "package.json"));
    const notBuilt = await copy(SEED_ARGS);
    expect(notBuilt).toEqual({
      code: 1,
      stdout: "",
      stderr: `approov: the web SDK is not built (no ${join(webSdk, "dist", "approov.js")}): run npm run build at the repository root\n`,
    });
    expect(readdirSync(dir)).toEqual(["project"]);
  });

  it("shows its help", async () => {
    for (const args of [
      ["sdk", "-help"],
      ["help", "sdk"],
    ]) {
      const result = await approov(args);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(
        "approov sdk -packageID approov.js.zip -getClientPackage <file>",
      );
      expect(result.stdout).toContain("-getClientPackage <file>");
    }
    expect((await approov(["help"])).stdout).toContain(
      "sdk     write the web SDK package (approov.js in a ZIP archive) to a file",
    );
  });
});
