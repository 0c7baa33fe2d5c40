import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Plugin } from "vite";

/**
 * Puts the built web SDK at the site root as `/approov.js`, where the seed's
 * examples load it from (`import(... "/approov.js")`): the file a site owner
 * copies into their project, not a bundled copy.
 */
export function approovSdkFile(): Plugin {
  const sdkPath = createRequire(import.meta.url).resolve("@shapes/web-sdk/approov.js");
  return {
    name: "shapes:approov-sdk-file",
    generateBundle() {
      this.emitFile({ type: "asset", fileName: "approov.js", source: readFileSync(sdkPath) });
    },
    configureServer(server) {
      server.middlewares.use("/approov.js", (_request, response) => {
        response.setHeader("Content-Type", "application/javascript; charset=utf-8");
        response.end(readFileSync(sdkPath));
      });
    },
  };
}
