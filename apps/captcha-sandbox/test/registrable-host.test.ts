import { describe, expect, it } from "vitest";
import { isPageHost, registrableHost } from "../src/registrable-host.js";

describe("registrableHost", () => {
  it.each([
    ["www.example.com", "example.com"],
    ["a.b.example.co.uk", "co.uk"],
    ["Shapes.Example.COM", "example.com"],
    ["example.com.", "example.com"],
    ["example.com", "example.com"],
    ["localhost", "localhost"],
    ["app.localhost", "app.localhost"],
    ["127.0.0.1", "127.0.0.1"],
    ["[::1]", "[::1]"],
  ])("%s -> %s", (host, expected) => {
    expect(registrableHost(host)).toBe(expected);
  });
});

describe("isPageHost", () => {
  it("accepts what location.hostname can be and nothing else", () => {
    for (const host of ["example.com", "localhost", "10.0.0.1", "[2001:db8::1]", "x_y.test"]) {
      expect(isPageHost(host)).toBe(true);
    }
    for (const host of ["", "a..b", "-a.com", "x.io:80", "[zz]", "a b", "é.com", "a".repeat(64)]) {
      expect(isPageHost(host)).toBe(false);
    }
  });
});
