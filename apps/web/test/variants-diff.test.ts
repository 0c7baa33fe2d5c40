import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SITE_DIR } from "./fixture-dist.js";
import { lineDiff, topLevelFunctions } from "./line-diff.js";

// The quickstart: "the following commands will show the set of differences required":
//   git diff --no-index shapes-app/unprotected/index.html shapes-app/approov-hcaptcha-protected/index.html
//   git diff --no-index shapes-app/unprotected/assets/js/app.js shapes-app/approov-hcaptcha-protected/assets/js/app.js
const read = (variant: string, file: string) => readFileSync(join(SITE_DIR, variant, file), "utf8");
const unprotected = {
  html: read("unprotected", "index.html"),
  js: read("unprotected", "assets/js/app.js"),
};
const protectedApp = {
  html: read("approov-hcaptcha-protected", "index.html"),
  js: read("approov-hcaptcha-protected", "assets/js/app.js"),
};

const BUTTON_CLASSES =
  "button-transition bg-blue-500 active:bg-blue-600 uppercase text-white font-bold hover:shadow-md shadow text-xs px-4 py-2 rounded outline-none focus:outline-none sm:mr-2 mb-1";

describe("index.html: unprotected -> approov-hcaptcha-protected", () => {
  it("differs only by the hCaptcha script and the buttons' hCaptcha attributes", () => {
    const { removed, added } = lineDiff(unprotected.html, protectedApp.html);
    expect(removed.map((line) => line.trim())).toEqual([
      `class="${BUTTON_CLASSES}"`,
      `class="${BUTTON_CLASSES}"`,
    ]);
    expect(added.map((line) => line.trim())).toEqual([
      '<script src="https://hcaptcha.com/1/api.js" async defer></script>',
      `class="h-captcha ${BUTTON_CLASSES}"`,
      'data-sitekey="___HCAPTCHA_SITE_KEY___"',
      "data-callback='fetchHello'",
      `class="h-captcha ${BUTTON_CLASSES}"`,
      'data-sitekey="___HCAPTCHA_SITE_KEY___"',
      "data-callback='fetchShape'",
    ]);
  });

  it("loads the hCaptcha script right after </title>", () => {
    expect(protectedApp.html).toMatch(
      /<\/title>\n\s*<script src="https:\/\/hcaptcha\.com\/1\/api\.js" async defer><\/script>/,
    );
    expect(unprotected.html).not.toMatch(/hcaptcha\.com|h-captcha|data-sitekey/);
  });

  it("binds each button to its callback", () => {
    for (const [id, callback] of [
      ["hello-button", "fetchHello"],
      ["shape-button", "fetchShape"],
    ]) {
      const button = protectedApp.html.match(new RegExp(`<button\\s+id="${id}"[^>]*>`))?.[0];
      expect(button).toContain(`class="h-captcha `);
      expect(button).toContain('data-sitekey="___HCAPTCHA_SITE_KEY___"');
      expect(button).toContain(`data-callback='${callback}'`);
    }
  });

  it("has no inline script, style or event handler (the CSP forbids them)", () => {
    for (const html of [
      unprotected.html,
      protectedApp.html,
      readFileSync(join(SITE_DIR, "index.html"), "utf8"),
    ]) {
      expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
      expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    }
  });
});

describe("app.js: unprotected -> approov-hcaptcha-protected", () => {
  const before = topLevelFunctions(unprotected.js);
  const after = topLevelFunctions(protectedApp.js);

  it("uses API v1 and registers the button clicks when unprotected", () => {
    expect(unprotected.js).toContain('const API_VERSION = "v1";');
    expect(unprotected.js).toMatch(
      /window\.addEventListener\("load", [\s\S]*getElementById\("hello-button"\)[\s\S]*addEventListener\("click", \(\) => fetchHello\(\)\)[\s\S]*getElementById\("shape-button"\)[\s\S]*addEventListener\("click", \(\) => fetchShape\(\)\)/,
    );
    expect(unprotected.js).not.toMatch(/Approov-Token|fetchApproovToken|SITE_KEY/);
  });

  it("removes the click registrations and switches to v2 when protected", () => {
    const { removed } = lineDiff(unprotected.js, protectedApp.js);
    expect(removed.map((line) => line.trim())).toEqual(
      expect.arrayContaining([
        'const helloButton = document.getElementById("hello-button");',
        'helloButton.addEventListener("click", () => fetchHello());',
        'const shapeButton = document.getElementById("shape-button");',
        'shapeButton.addEventListener("click", () => fetchShape());',
        'const API_VERSION = "v1";',
      ]),
    );
    expect(protectedApp.js).toContain('const API_VERSION = "v2";');
    expect(protectedApp.js).not.toMatch(/hello-button|shape-button/);
    // The navbar handler stays.
    expect(protectedApp.js).toContain(
      'navbar.addEventListener("click", () => toggleNavbar("example-collapse-navbar"));',
    );
  });

  it("adds the quickstart's constants after API_BASE_URL", () => {
    expect(protectedApp.js).toMatch(
      /const API_BASE_URL = .*\nconst APPROOV_WEB_PROTECT_URL =\s+window\.SHAPES_CONFIG\?\.attestUrl \|\| "https:\/\/web-1\.approovr\.io\/attest";\nconst APPROOV_SITE_KEY = "___APPROOV_SITE_KEY___";\nconst HCAPTCHA_SITE_KEY = "___HCAPTCHA_SITE_KEY___";\n/,
    );
    // The deployment settings are read the same way in both variants.
    for (const line of [
      'const API_DOMAIN = window.SHAPES_CONFIG?.apiDomain || "shapes.approov.io";',
      `const API_BASE_URL = window.SHAPES_CONFIG?.apiBaseUrl || \`https://\${API_DOMAIN}\`;`,
    ]) {
      expect(unprotected.js).toContain(line);
      expect(protectedApp.js).toContain(line);
    }
  });

  it("adds fetchApproovToken posting the four form parameters", () => {
    const fetchApproovToken = after.get("fetchApproovToken");
    expect(fetchApproovToken).toBeDefined();
    for (const [name, value] of [
      ["api", "API_DOMAIN"],
      ["approov-site-key", "APPROOV_SITE_KEY"],
      ["hcaptcha-site-key", "HCAPTCHA_SITE_KEY"],
      ["hcaptcha-token", "hCaptchaToken"],
    ]) {
      expect(fetchApproovToken).toContain(`params.append("${name}", ${value});`);
    }
    expect(fetchApproovToken).toMatch(
      /fetch\(APPROOV_WEB_PROTECT_URL, \{\s+method: "POST",\s+body: params,/,
    );
    expect(fetchApproovToken).toContain("return response.text();");
  });

  it("changes exactly the four functions the quickstart changes", () => {
    expect([...after.keys()].filter((name) => !before.has(name))).toEqual(["fetchApproovToken"]);
    expect([...before.keys()].filter((name) => !after.has(name))).toEqual([]);
    const changed = [...before.keys()].filter((name) => before.get(name) !== after.get(name));
    expect(changed.sort()).toEqual([
      "addRequestHeaders",
      "fetchHello",
      "fetchShape",
      "makeApiRequest",
    ]);

    expect(after.get("addRequestHeaders")).toMatch(
      /^function addRequestHeaders\(hCaptchaToken\) \{\n\s+return fetchApproovToken\(hCaptchaToken\)/,
    );
    expect(after.get("addRequestHeaders")).toContain('"Approov-Token": approovToken,');
    expect(after.get("makeApiRequest")).toMatch(/^function makeApiRequest\(path, hCaptchaToken\)/);
    expect(after.get("makeApiRequest")).toContain("addRequestHeaders(hCaptchaToken)");
    // fetchHello and fetchShape only pass the hCaptcha token through.
    for (const name of ["fetchHello", "fetchShape"]) {
      const withoutToken = after
        .get(name)
        ?.replace("(hCaptchaToken)", "()")
        .replace(", hCaptchaToken)", ")");
      expect(withoutToken).toBe(before.get(name));
    }
  });
});
