import { describe, expect, it } from "vitest";
import { loadBrowserAssets } from "../src/browser-assets.js";
import { fillHtml, fillScript, TemplateError } from "../src/fill-template.js";

describe("browser file templates", () => {
  it("fills a script's quoted placeholders with JSON values", () => {
    const filled = fillScript('const A = "{{a}}"; const B = "{{b}}";', {
      a: 'x"y',
      b: { kind: "v2" },
    });
    expect(filled).toBe('const A = "x\\"y"; const B = {"kind":"v2"};');
  });

  it("fills an HTML page's placeholders, escaped", () => {
    expect(fillHtml("<p>{{label}}</p>", { label: `I'm <not> "a" robot & co` })).toBe(
      "<p>I'm &#60;not&#62; &#34;a&#34; robot &#38; co</p>",
    );
  });

  it("refuses a placeholder without a value", () => {
    expect(() => fillHtml("{{missing}}", {})).toThrow(TemplateError);
    expect(() => fillScript('"{{toString}}"', {})).toThrow(/no value for placeholder/);
  });

  it("serves every checkbox file and api.js fully filled in", () => {
    const assets = loadBrowserAssets();
    for (const source of Object.values(assets)) expect(source).not.toMatch(/\{\{\w+\}\}/);
    expect(assets.recaptchaCheckboxJs).toContain('const EXECUTE_FIELDS = {"kind":"v2"};');
    expect(assets.checkboxHtml).toContain("--accent: #0074bf");
    // The shared plumbing comes first, inside the one function around each api.js.
    expect(assets.apiJs.startsWith("(() => {\n/*")).toBe(true);
    expect(assets.recaptchaApiJs).toContain("function widgetPlumbing(service)");
  });
});
