import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { HCAPTCHA_TEST_KEYS } from "@shapes/protocol";
import { readWebConfig, type WebConfig } from "../server/config.js";

export const SITE_DIR = fileURLToPath(new URL("../site/", import.meta.url));

/** The dummy keys the quickstart's `sed` commands use. */
export const BY_HAND = {
  hcaptchaSiteKey: "aaaaa12345",
  approovSiteKey: "123a4567-abcd-12e3-9z8a-9b1234d54321",
};

export const OUTSIDE_SECRET = "this file sits next to dist/ and must never be served";

export interface FixtureDist {
  /** Parent directory: holds `dist/` and `outside.txt`. */
  base: string;
  distDir: string;
  remove(): void;
}

/**
 * A dist tree built from the real page sources: the two variants as written, a copy of the
 * protected one edited the quickstart's way (`sed` on the placeholders), a hashed asset, a
 * hidden file, and a symlink pointing out of the tree.
 */
export function createFixtureDist(): FixtureDist {
  const base = mkdtempSync(join(tmpdir(), "shapes-web-"));
  const distDir = join(base, "dist");
  mkdirSync(join(distDir, "assets"), { recursive: true });
  cpSync(join(SITE_DIR, "index.html"), join(distDir, "index.html"));
  for (const variant of ["unprotected", "approov-hcaptcha-protected"]) {
    cpSync(join(SITE_DIR, variant), join(distDir, variant), { recursive: true });
  }

  const byHand = join(distDir, "by-hand");
  cpSync(join(SITE_DIR, "approov-hcaptcha-protected"), byHand, { recursive: true });
  for (const file of ["index.html", "assets/js/app.js"]) {
    const path = join(byHand, file);
    const text = readFileSync(path, "utf8")
      .replaceAll("___HCAPTCHA_SITE_KEY___", BY_HAND.hcaptchaSiteKey)
      .replaceAll("___APPROOV_SITE_KEY___", BY_HAND.approovSiteKey);
    writeFileSync(path, text);
  }

  cpSync(join(SITE_DIR, "assets/img/logo.svg"), join(distDir, "assets/logo-AbC123.svg"));
  writeFileSync(join(distDir, ".env"), "SECRET=1\n");
  writeFileSync(join(base, "outside.txt"), OUTSIDE_SECRET);
  symlinkSync(join(base, "outside.txt"), join(distDir, "assets/linked.txt"));

  return { base, distDir, remove: () => rmSync(base, { recursive: true, force: true }) };
}

/** The default (local) configuration with explicit site keys, serving `distDir`. */
export function localConfig(distDir: string, env: Record<string, string> = {}): WebConfig {
  return {
    ...readWebConfig({
      APPROOV_SITE_KEY: "local-approov-site-key",
      HCAPTCHA_SITE_KEY: HCAPTCHA_TEST_KEYS.publisher.siteKey,
      ...env,
    }),
    distDir,
  };
}
