import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The page's own files (apps/attest/portal/, the same path from src/ and dist/). */
const PAGE_DIR = fileURLToPath(new URL("../../portal/", import.meta.url));

/** Chart.js's UMD build from node_modules (its package exports do not list it). */
function chartJsPath(): string {
  const main = createRequire(import.meta.url).resolve("chart.js");
  return join(dirname(main), "chart.umd.min.js");
}

export interface PortalAsset {
  body: string;
  contentType: string;
}

const JAVASCRIPT = "text/javascript; charset=utf-8";

/** Every file the portal serves: a fixed list, so no path from a request reaches the disk. */
const ASSETS: Record<string, { path: () => string; contentType: string }> = {
  "index.html": {
    path: () => join(PAGE_DIR, "index.html"),
    contentType: "text/html; charset=utf-8",
  },
  "portal.js": { path: () => join(PAGE_DIR, "portal.js"), contentType: JAVASCRIPT },
  "access.js": { path: () => join(PAGE_DIR, "access.js"), contentType: JAVASCRIPT },
  "dashboards.js": { path: () => join(PAGE_DIR, "dashboards.js"), contentType: JAVASCRIPT },
  "dashboard-view.js": { path: () => join(PAGE_DIR, "dashboard-view.js"), contentType: JAVASCRIPT },
  "portal.css": {
    path: () => join(PAGE_DIR, "portal.css"),
    contentType: "text/css; charset=utf-8",
  },
  "chart.umd.min.js": { path: chartJsPath, contentType: JAVASCRIPT },
};

export const isPortalAsset = (name: string): boolean => Object.hasOwn(ASSETS, name);

const loaded = new Map<string, Promise<PortalAsset>>();

/** A portal file, read once per process (they change only with a new build). */
export function portalAsset(name: string): Promise<PortalAsset> {
  const spec = ASSETS[name];
  if (!spec || !Object.hasOwn(ASSETS, name)) throw new Error(`not a portal asset: ${name}`);
  let asset = loaded.get(name);
  if (!asset) {
    asset = readFile(spec.path(), "utf8").then((body) => ({ body, contentType: spec.contentType }));
    // A failed read is retried on the next request rather than remembered.
    asset.catch(() => loaded.delete(name));
    loaded.set(name, asset);
  }
  return asset;
}

/**
 * The page's headers: its own scripts and styles only (no inline code, no other origin),
 * fetches to its own origin only, never framed, no referrer, never cached.
 */
export const PAGE_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};
