import { describe, expect, it } from "vitest";
import { parseApiArgs } from "../src/commands/api.js";
import { usageMessage } from "./helpers/usage-message.js";

describe("approov api arguments", () => {
  it("reads the seed's command", () => {
    expect(parseApiArgs(["-add", "shapes.approov.io", "-allowWeb"])).toEqual({
      action: "add",
      domain: "shapes.approov.io",
      allowWeb: true,
      jwe: false,
      yes: false,
    });
  });

  it("reads -jwe and -yes, in any case, and lower-cases the domain", () => {
    expect(parseApiArgs(["-ADD", "Your.Domain:8443", "-AllowWeb", "-JWE", "-Yes"])).toEqual({
      action: "add",
      domain: "your.domain:8443",
      allowWeb: true,
      jwe: true,
      yes: true,
    });
  });

  it("reads -list, -remove and -help", () => {
    expect(parseApiArgs(["-list"])).toEqual({ action: "list" });
    expect(parseApiArgs(["-remove", "x.example", "-yes"])).toEqual({
      action: "remove",
      domain: "x.example",
      yes: true,
    });
    expect(parseApiArgs(["-help"])).toEqual({ action: "help" });
    expect(parseApiArgs(["-add", "-help"])).toEqual({ action: "help" });
  });

  it("needs exactly one action", () => {
    expect(usageMessage(() => parseApiArgs([]))).toBe(
      "approov api needs one of -add <domain>, -list, -remove <domain>",
    );
    expect(usageMessage(() => parseApiArgs(["-list", "-remove", "a.b"]))).toBe(
      "use one of -list, -remove at a time",
    );
  });

  it("takes -allowWeb and -jwe only with -add", () => {
    expect(usageMessage(() => parseApiArgs(["-list", "-allowWeb"]))).toBe(
      "-allowWeb only goes with -add",
    );
    expect(usageMessage(() => parseApiArgs(["-remove", "a.b", "-jwe"]))).toBe(
      "-jwe only goes with -add",
    );
  });

  it.each([
    "https://shapes.approov.io",
    "shapes.approov.io/v2",
    "a..b",
    "-a.b",
    "a_b.c",
    "a.b:0",
    "a.b:70000",
    "a b",
  ])("refuses the domain %j", (domain) => {
    expect(usageMessage(() => parseApiArgs(["-add", domain]))).toBe(
      `API domain must be a host name like api.example.com (letters, digits, dots, hyphens, optional :port; no scheme or path), got "${domain}"`,
    );
  });

  it("refuses a missing domain", () => {
    expect(usageMessage(() => parseApiArgs(["-remove"]))).toBe("-remove needs a value <domain>");
  });
});
