import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ALL_ERROR_CODES, ERROR_CODES, isErrorCode } from "../src/index.js";

const seedPath = fileURLToPath(
  new URL("../../../../shared/seeds/001_7ba4c1d380fbe7f9.txt", import.meta.url),
);

describe("error codes", () => {
  it("lists exactly the codes of the seed's error table", () => {
    // The table rows start with the code followed by a space and its description.
    const seed = readFileSync(seedPath, "utf8");
    const table = seed.slice(seed.indexOf("Error CodeDescription"));
    const seedCodes = [...table.matchAll(/^((?:rqst|aprv|fp|hcap|recap)-[a-z0-9-]+) /gm)].map(
      (m) => m[1],
    );
    expect(seedCodes.length).toBeGreaterThan(30);
    const ours = ALL_ERROR_CODES.filter((code) => code.startsWith("turn-"));
    const seedTable = ALL_ERROR_CODES.filter((code) => !ours.includes(code));
    expect([...seedTable].sort()).toEqual([...new Set(seedCodes)].sort());
  });

  it("adds Turnstile's codes in the seed's hCaptcha pattern, and nothing else", () => {
    const ours = ALL_ERROR_CODES.filter((code) => code.startsWith("turn-"));
    const hcaptcha = ALL_ERROR_CODES.filter((code) => code.startsWith("hcap-"));
    expect(ours.map((code) => code.slice("turn-".length)).sort()).toEqual(
      hcaptcha.map((code) => code.slice("hcap-".length)).sort(),
    );
  });

  it("recognises codes and rejects other strings", () => {
    expect(isErrorCode("hcap-token-check")).toBe(true);
    expect(isErrorCode("toString")).toBe(false);
    expect(isErrorCode("hcap-nope")).toBe(false);
    expect(ERROR_CODES["rqst-body-too-large"]).toMatch(/too large/);
  });
});
