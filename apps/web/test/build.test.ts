import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SITE_DIR } from "./fixture-dist.js";

// The real Vite build (into a temporary directory), checked for what the server relies on.
let outDir: string;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), "shapes-web-build-"));
  await build({
    configFile: fileURLToPath(new URL("../vite.config.ts", import.meta.url)),
    build: { outDir, emptyOutDir: true },
    logLevel: "silent",
  });
}, 60_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const pages = ["index.html", "unprotected/index.html", "approov-hcaptcha-protected/index.html"];

describe("vite build", () => {
  it("emits the three pages", () => {
    for (const page of pages) expect(existsSync(join(outDir, page)), page).toBe(true);
  });

  it("copies each variant's classic app.js unchanged, at the quickstart's path", () => {
    for (const variant of ["unprotected", "approov-hcaptcha-protected"]) {
      const file = `${variant}/assets/js/app.js`;
      expect(readFileSync(join(outDir, file), "utf8")).toBe(
        readFileSync(join(SITE_DIR, file), "utf8"),
      );
      const html = readFileSync(join(outDir, variant, "index.html"), "utf8");
      expect(html).toContain('<script src="assets/js/app.js"></script>');
      expect(html).toContain('<script src="/config.js"></script>');
    }
  });

  it("keeps the placeholders and the hCaptcha URL for the server (or sed) to fill", () => {
    const html = readFileSync(join(outDir, "approov-hcaptcha-protected/index.html"), "utf8");
    expect(html).toContain('<script src="https://hcaptcha.com/1/api.js" async defer></script>');
    expect(html.match(/data-sitekey="___HCAPTCHA_SITE_KEY___"/g)).toHaveLength(2);
  });

  it("links every page to the shared stylesheet and the emitted images", () => {
    const assets = readdirSync(join(outDir, "assets"));
    expect(assets.filter((name) => /^shapes-.*\.css$/.test(name))).toHaveLength(1);
    for (const image of ["logo", "start", "hello", "confused"]) {
      expect(assets.some((name) => name.startsWith(`${image}-`) && name.endsWith(".svg"))).toBe(
        true,
      );
    }
    for (const page of pages) {
      const html = readFileSync(join(outDir, page), "utf8");
      expect(html).toMatch(
        /<link rel="stylesheet" crossorigin href="\/assets\/shapes-[\w-]+\.css">/,
      );
      for (const src of html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) {
        expect(existsSync(join(outDir, src[1] as string)), src[1]).toBe(true);
      }
    }
  });

  it("emits no inline script or style (the CSP forbids them)", () => {
    for (const page of pages) {
      const html = readFileSync(join(outDir, page), "utf8");
      expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
      expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    }
  });
});
