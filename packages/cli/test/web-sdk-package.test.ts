import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CliError } from "../src/errors.js";
import { buildWebSdkPackage, readWebSdk, webSdkPath } from "../src/web-sdk-package.js";
import { pythonZipExtract, pythonZipInfo } from "./helpers/zip-readers.js";

const BUILT_SDK = fileURLToPath(new URL("../../web-sdk/dist/approov.js", import.meta.url));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "web-sdk-package-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<CliError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CliError);
  return error as CliError;
}

describe("the web SDK package", () => {
  it("finds the built approov.js of @shapes/web-sdk", () => {
    expect(webSdkPath()).toBe(BUILT_SDK);
  });

  it("says to build when approov.js is missing or empty", async () => {
    const missing = join(dir, "dist", "approov.js");
    const notBuilt = await failure(buildWebSdkPackage(missing));
    expect(notBuilt.code).toBe("sdk-not-built");
    expect(notBuilt.message).toBe(
      `the web SDK is not built (no ${missing}): run npm run build at the repository root`,
    );
    const empty = join(dir, "approov.js");
    writeFileSync(empty, "");
    expect((await failure(readWebSdk(empty))).message).toBe(
      `${empty} is not a built web SDK: run npm run build at the repository root`,
    );
    expect((await failure(readWebSdk(dir))).code).toBe("sdk-not-built");
  });

  it("holds approov.js as is and a README.txt that names its SHA-256", async () => {
    const sdk = join(dir, "approov.js");
    const source = "export const Approov = Object.freeze({});\n".repeat(20);
    writeFileSync(sdk, source);
    const modified = new Date(2025, 0, 2, 3, 4, 6);
    utimesSync(sdk, modified, modified);
    const archive = join(dir, "approov.js.zip");
    writeFileSync(archive, await buildWebSdkPackage(sdk));

    const info = pythonZipInfo(archive);
    expect(info.map((i) => [i.name, i.dateTime])).toEqual([
      ["approov.js", [2025, 1, 2, 3, 4, 6]],
      ["README.txt", [2025, 1, 2, 3, 4, 6]],
    ]);
    const out = join(dir, "out");
    pythonZipExtract(archive, out);
    expect(readFileSync(join(out, "approov.js"), "utf8")).toBe(source);
    const readme = readFileSync(join(out, "README.txt"), "utf8");
    expect(readme).toContain(`SHA-256: ${createHash("sha256").update(source).digest("hex")}`);
    expect(readme).toContain('<script type="module" src="/approov.js"></script>');
  });
});
