import { describe, expect, it } from "vitest";
import { decideHcaptcha } from "../src/integrations/hcaptcha/decision.js";
import { UpstreamCheckError } from "../src/integrations/upstream-check-error.js";
import { siteConfig as site } from "./helpers/sdk-setup.js";

describe("decideHcaptcha", () => {
  it("passes a successful result with the default site rules", () => {
    expect(decideHcaptcha({ success: true, errorCodes: [] }, site())).toEqual({ passed: true });
  });

  it("fails the user's bad token as a failed check, not an error", () => {
    for (const code of [
      "invalid-input-response",
      "expired-input-response",
      "already-seen-response",
      "missing-input-response",
      "invalid-or-already-seen-response",
    ]) {
      expect(decideHcaptcha({ success: false, errorCodes: [code] }, site())).toEqual({
        passed: false,
        reason: `hcaptcha success=false (${code})`,
      });
    }
  });

  it("turns configuration refusals into UpstreamCheckError", () => {
    for (const code of [
      "missing-input-secret",
      "invalid-input-secret",
      "sitekey-secret-mismatch",
      "bad-request",
      "not-using-dummy-passcode",
    ]) {
      expect(() => decideHcaptcha({ success: false, errorCodes: [code] }, site())).toThrow(
        new UpstreamCheckError("hcap-token-check", `siteverify: ${code}`),
      );
    }
  });

  it("checks the hostname only when domains are configured", () => {
    const result = { success: true, hostname: "Example.com", errorCodes: [] };
    expect(decideHcaptcha(result, site({ domains: ["example.com"] })).passed).toBe(true);
    expect(decideHcaptcha(result, site({ domains: ["other.com"] }))).toEqual({
      passed: false,
      reason: "hostname not allowed",
    });
    expect(
      decideHcaptcha({ success: true, errorCodes: [] }, site({ domains: ["example.com"] })).passed,
    ).toBe(false);
  });

  it("inverts hCaptcha's risk score against the human-probability minimum", () => {
    const scored = (score: number) => ({ success: true, score, errorCodes: [] });
    expect(decideHcaptcha(scored(0.0), site({ minScore: 0.5 })).passed).toBe(true);
    expect(decideHcaptcha(scored(0.5), site({ minScore: 0.5 })).passed).toBe(true);
    expect(decideHcaptcha(scored(0.51), site({ minScore: 0.5 }))).toEqual({
      passed: false,
      reason: "min score",
    });
    expect(decideHcaptcha(scored(1.0), site({ minScore: 0.5 })).passed).toBe(false);
    expect(decideHcaptcha(scored(1.0), site({ minScore: 0 })).passed).toBe(true);
    // No score cannot meet a non-zero minimum.
    expect(decideHcaptcha({ success: true, errorCodes: [] }, site({ minScore: 0.1 }))).toEqual({
      passed: false,
      reason: "min score (no score)",
    });
  });
});
