import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { CliError } from "./errors.js";
import { createZip } from "./zip-writer.js";

/** The package IDs `approov sdk -packageID` knows: the web SDK is the only one. */
export const PACKAGE_IDS = ["approov.js.zip"] as const;
export type PackageId = (typeof PACKAGE_IDS)[number];

/** The built SDK is about 13 KB; anything this big is not it. */
export const MAX_SDK_BYTES = 16 * 1024 * 1024;

const BUILD_HINT = "run npm run build at the repository root";

/** Where the built `approov.js` of the workspace package `@shapes/web-sdk` is. */
export function webSdkPath(): string {
  try {
    // Resolving does not check that the file exists: readWebSdk does.
    return fileURLToPath(import.meta.resolve("@shapes/web-sdk/approov.js"));
  } catch {
    throw new CliError(
      "sdk-not-built",
      `the web SDK package @shapes/web-sdk is not installed (run npm install, then npm run build)`,
    );
  }
}

export interface WebSdkFile {
  data: Buffer;
  modified: Date;
}

/** Reads the built SDK; a clear error when it is not built yet. */
export async function readWebSdk(path: string): Promise<WebSdkFile> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    throw new CliError("sdk-not-built", `the web SDK is not built (no ${path}): ${BUILD_HINT}`);
  }
  if (!info.isFile() || info.size === 0 || info.size > MAX_SDK_BYTES) {
    throw new CliError("sdk-not-built", `${path} is not a built web SDK: ${BUILD_HINT}`);
  }
  return { data: await readFile(path), modified: info.mtime };
}

/** The README.txt of the package: what approov.js is and how to load it (the seed's way). */
export function packageReadme(sdk: Buffer): string {
  const sha256 = createHash("sha256").update(sdk).digest("hex");
  return [
    "approov.js.zip: the Approov web SDK",
    "",
    "approov.js is the web SDK of this self-hosted Approov web protection (built from",
    "packages/web-sdk of the project): one ES module exporting the Approov object.",
    `  size:    ${sdk.length} bytes`,
    `  SHA-256: ${sha256}`,
    "",
    "Copy approov.js into your project and load it as part of your web app:",
    "",
    '  <script type="module" src="/approov.js"></script>',
    '  <script type="module">',
    "    import { Approov, ApproovError, ApproovFetchError, ApproovServiceError,",
    "      ApproovSessionError } from '/approov.js'",
    "    await Approov.initializeSession({",
    "      approovHost: 'http://localhost:8001',",
    "      approovSiteKey: 'your-Approov-site-key',",
    "      hcaptchaSiteKey: 'your-hCaptcha-site-key'",
    "    })",
    "    const approovToken = await Approov.fetchToken('your.api.domain', { hcaptchaToken })",
    "  </script>",
    "",
    "The SDK's functions and options: packages/web-sdk/README.md in the project.",
    "Written by: approov sdk -packageID approov.js.zip -getClientPackage <file>",
    "",
  ].join("\n");
}

/** The ZIP archive `-getClientPackage` writes: approov.js and README.txt. */
export async function buildWebSdkPackage(sdkPath: string): Promise<Buffer> {
  const sdk = await readWebSdk(sdkPath);
  return createZip([
    { name: "approov.js", data: sdk.data, modified: sdk.modified },
    { name: "README.txt", data: Buffer.from(packageReadme(sdk.data)), modified: sdk.modified },
  ]);
}
