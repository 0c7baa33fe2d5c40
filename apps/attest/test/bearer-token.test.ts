import { describe, expect, it } from "vitest";
import { bearerToken } from "../src/http/bearer-token.js";

describe("bearerToken", () => {
  it("reads the token of a Bearer header, the scheme in any case", () => {
    expect(bearerToken("Bearer abc.DEF-1")).toBe("abc.DEF-1");
    expect(bearerToken("bearer \tabc \t")).toBe("abc");
  });

  it("refuses an absent header, another scheme, an empty or spaced token", () => {
    for (const header of [
      undefined,
      "",
      "Basic abc",
      "Bearer",
      "Bearer ",
      "Bearer a b",
      "Bearerabc",
    ]) {
      expect(bearerToken(header)).toBeUndefined();
    }
  });
});
