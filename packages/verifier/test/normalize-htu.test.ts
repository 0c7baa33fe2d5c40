import { describe, expect, it } from "vitest";
import { HtuError, normalizeHtu } from "../src/index.js";

describe("normalizeHtu", () => {
  it.each([
    ["HTTP://Example.COM:80/a", "http://example.com/a"],
    ["https://EXAMPLE.com:443", "https://example.com/"],
    ["https://example.com", "https://example.com/"],
    ["https://example.com:8443/a", "https://example.com:8443/a"],
    ["http://example.com:443/a", "http://example.com:443/a"],
    ["https://example.com/a/./b/../c", "https://example.com/a/c"],
    ["https://example.com/a/%2e%2E/c", "https://example.com/c"],
    ["https://example.com/%7e%41%2d%5F", "https://example.com/~A-_"],
    ["https://example.com/a%2fb%c3%a9", "https://example.com/a%2Fb%C3%A9"],
    ["https://example.com/t?q=1#frag", "https://example.com/t"],
    ["https://EXAMPLE%2Ecom/", "https://example.com/"],
    ["https://[::1]:443/", "https://[::1]/"],
    ["https://bücher.example/", "https://xn--bcher-kva.example/"],
  ])("%s -> %s", (input, expected) => {
    expect(normalizeHtu(input)).toBe(expected);
  });

  it("leaves case-sensitive parts alone", () => {
    expect(normalizeHtu("https://example.com/Token")).not.toBe(
      normalizeHtu("https://example.com/token"),
    );
    expect(normalizeHtu("https://example.com/a/")).not.toBe(normalizeHtu("https://example.com/a"));
  });

  it.each([
    "/token",
    "example.com/token",
    "ftp://example.com/",
    "javascript:alert(1)",
    "https://user:pass@example.com/",
    "https://user@example.com/",
    " https://example.com/",
    "https://example.com/a b",
    "https://exa\tmple.com/",
    "https://example.com/\n",
    "http://",
    `https://example.com/${"a".repeat(9000)}`,
  ])("refuses %j", (input) => {
    expect(() => normalizeHtu(input)).toThrow(HtuError);
  });

  it("refuses a non-string", () => {
    expect(() => normalizeHtu(undefined as unknown as string)).toThrow(HtuError);
  });
});
