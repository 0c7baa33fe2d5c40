import { cpSync, existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Plugin } from "vite";

/** The page directories under `root` that carry their own `assets/` tree (the app variants). */
export function findVariants(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !["assets", "partials"].includes(entry.name))
    .map((entry) => entry.name)
    .filter(
      (name) =>
        existsSync(join(root, name, "index.html")) && existsSync(join(root, name, "assets")),
    )
    .sort();
}

/**
 * Every `<page>/index.html` under `root`, keyed by page, plus the home page: the
 * quickstart's variants and the pages whose scripts Vite bundles (the SDK pages).
 */
export function findPages(root: string): Record<string, string> {
  const pages: Record<string, string> = { home: join(root, "index.html") };
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const page = join(root, entry.name, "index.html");
    if (entry.isDirectory() && entry.name !== "assets" && existsSync(page))
      pages[entry.name] = page;
  }
  return pages;
}

/**
 * Copies each variant's `assets/` tree into the build output unchanged.
 *
 * The variants' app.js files are classic scripts (hCaptcha's data-callback needs their
 * functions as globals), which Vite neither bundles nor emits; the quickstart keeps them at
 * `<variant>/assets/js/app.js`, so the build output must hold them at the same paths.
 */
export function copyVariantAssets(root: string): Plugin {
  let outDir = "";
  return {
    name: "shapes:copy-variant-assets",
    apply: "build",
    configResolved(config) {
      outDir = config.build.outDir;
    },
    writeBundle() {
      for (const variant of findVariants(root)) {
        cpSync(join(root, variant, "assets"), join(outDir, variant, "assets"), {
          recursive: true,
        });
      }
    },
  };
}
