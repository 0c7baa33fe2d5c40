import { describe, expect, it } from "vitest";
import { MAX_DATA_HASH_CHARS, MAX_TOKEN_CHARS, parseTokenArgs } from "../src/commands/token.js";
import { usageMessage } from "./helpers/usage-message.js";

describe("approov token arguments", () => {
  it("reads -check <token>", () => {
    expect(parseTokenArgs(["-check", "a.b.c"])).toEqual({ action: "check", token: "a.b.c" });
    expect(parseTokenArgs(["-CHECK", " a.b.c\n"])).toEqual({ action: "check", token: "a.b.c" });
  });

  it("reads -genExample <api> and -setDataHashInToken <value>", () => {
    expect(parseTokenArgs(["-genExample", "Shapes.Approov.io"])).toEqual({
      action: "example",
      api: "shapes.approov.io",
    });
    expect(
      parseTokenArgs(["-genexample", "localhost", "-setDataHashInToken", "Bearer abc"]),
    ).toEqual({ action: "example", api: "localhost", dataHash: "Bearer abc" });
    expect(parseTokenArgs(["-help"])).toEqual({ action: "help" });
  });

  it("needs exactly one action", () => {
    expect(usageMessage(() => parseTokenArgs([]))).toBe(
      "approov token needs one of -check <token>, -genExample <api>",
    );
    expect(usageMessage(() => parseTokenArgs(["-check", "t", "-genExample", "a.b"]))).toBe(
      "use one of -check, -genExample at a time",
    );
  });

  it("takes -setDataHashInToken only with -genExample", () => {
    expect(usageMessage(() => parseTokenArgs(["-check", "t", "-setDataHashInToken", "v"]))).toBe(
      "-setDataHashInToken only goes with -genExample",
    );
    expect(usageMessage(() => parseTokenArgs(["-setDataHashInToken", "v"]))).toBe(
      "approov token needs one of -check <token>, -genExample <api>",
    );
  });

  it("refuses missing and oversized values, and a bad API domain", () => {
    expect(usageMessage(() => parseTokenArgs(["-check"]))).toBe("-check needs a value <token>");
    expect(usageMessage(() => parseTokenArgs(["-genExample"]))).toBe(
      "-genExample needs a value <api>",
    );
    expect(usageMessage(() => parseTokenArgs(["-check", "x".repeat(MAX_TOKEN_CHARS + 1)]))).toBe(
      `token is too long (more than ${MAX_TOKEN_CHARS} characters)`,
    );
    expect(
      usageMessage(() =>
        parseTokenArgs([
          "-genExample",
          "a.b",
          "-setDataHashInToken",
          "x".repeat(MAX_DATA_HASH_CHARS + 1),
        ]),
      ),
    ).toBe(`setDataHashInToken is too long (more than ${MAX_DATA_HASH_CHARS} characters)`);
    expect(usageMessage(() => parseTokenArgs(["-check", "a\u0007b"]))).toBe(
      "token must not contain control characters",
    );
    expect(usageMessage(() => parseTokenArgs(["-genExample", "http://x"]))).toContain(
      "API domain must be a host name",
    );
  });
});
