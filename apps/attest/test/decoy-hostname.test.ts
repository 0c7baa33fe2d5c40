import { describe, expect, it } from "vitest";
import { hostOfPageUrl, isPageHost, pageHostOf, registrableRoot } from "../src/http/page-host.js";
import { type DecoyHostInputs, decoyHostname } from "../src/integrations/decoy-hostname.js";

describe("registrableRoot: the hostname hCaptcha reports for a page host", () => {
  it.each([
    ["www.shapes.example", "shapes.example"],
    ["a.b.c.shapes.example", "shapes.example"],
    ["shapes.example", "shapes.example"],
    // No public-suffix list, like the sandbox.
    ["a.example.co.uk", "co.uk"],
    ["localhost", "localhost"],
    ["127.0.0.1", "127.0.0.1"],
    ["10.20.30.40", "10.20.30.40"],
    ["[::1]", "[::1]"],
    ["[2001:db8::1]", "[2001:db8::1]"],
  ])("%s -> %s", (host, root) => {
    expect(registrableRoot(host)).toBe(root);
  });
});

describe("hostOfPageUrl: the host of an Origin or Referer value", () => {
  it.each([
    ["http://localhost:8000", "localhost"],
    ["https://WWW.Shapes.Example:8443", "www.shapes.example"],
    ["https://app.shapes.example/page?x=1#top", "app.shapes.example"],
    ["https://user:pw@app.shapes.example/", "app.shapes.example"],
    ["https://shapes.example./", "shapes.example"],
    ["http://127.0.0.1:8000", "127.0.0.1"],
    ["http://[::1]:8000", "[::1]"],
    ["http://[2001:DB8::1]/", "[2001:db8::1]"],
    ["https://under_score.example", "under_score.example"],
    // IDNs become their ASCII form, as location.hostname has it.
    ["https://bücher.example", "xn--bcher-kva.example"],
  ])("%s -> %s", (value, host) => {
    expect(hostOfPageUrl(value)).toBe(host);
  });

  it.each([
    ["absent", undefined],
    ["null header", null],
    ["empty", ""],
    ["an opaque origin", "null"],
    ["no URL", "shapes.example"],
    ["a space in the host", "http://exa mple.com"],
    ["another scheme", "ftp://shapes.example"],
    ["a file URL", "file:///etc/passwd"],
    ["javascript:", "javascript:alert(1)"],
    ["an extension origin", "chrome-extension://abcdefghijklmnop"],
    ["two origins", "http://a.example, http://b.example"],
    ["a $ in the host", "https://evil$.example"],
    ["a * in the host", "https://a*b.example"],
    ["a label starting with -", "http://-x-.example"],
    ["an empty label", "http://a..b.example"],
    ["a 64-character label", `https://${"a".repeat(64)}.example`],
    ["a host over 253 characters", `https://${`${"a".repeat(60)}.`.repeat(5)}example`],
    ["a value over 2048 characters", `https://shapes.example/${"p".repeat(2048)}`],
  ])("ignores %s", (_name, value) => {
    expect(hostOfPageUrl(value)).toBeUndefined();
  });

  it("keeps hosts up to the bounds", () => {
    const longest = `${`${"a".repeat(62)}.`.repeat(4)}e`; // 253 characters
    expect(longest).toHaveLength(253);
    expect(hostOfPageUrl(`https://${longest}`)).toBe(longest);
    const url = `https://shapes.example/${"p".repeat(2048 - 23)}`;
    expect(url).toHaveLength(2048);
    expect(hostOfPageUrl(url)).toBe("shapes.example");
  });
});

describe("isPageHost", () => {
  it("accepts names and IPs, refuses anything else", () => {
    for (const host of ["localhost", "a.example", "1.2.3.4", "[::1]"]) {
      expect(isPageHost(host)).toBe(true);
    }
    for (const host of ["", "::1", "[1.2.3.4]", "a b", "a/b", "a.example:80", "A.example"]) {
      expect(isPageHost(host)).toBe(false);
    }
  });
});

describe("pageHostOf: Origin, else Referer", () => {
  const headers = (init: Record<string, string>) => new Headers(init);

  it("prefers Origin", () => {
    expect(
      pageHostOf(headers({ origin: "https://a.example", referer: "https://b.example/x" })),
    ).toBe("a.example");
  });

  it("falls back to Referer when Origin is absent or unusable", () => {
    expect(pageHostOf(headers({ referer: "https://b.example/x" }))).toBe("b.example");
    expect(pageHostOf(headers({ origin: "null", referer: "https://b.example/x" }))).toBe(
      "b.example",
    );
    expect(pageHostOf(headers({ origin: "https://e$.example", referer: "http://[::1]/" }))).toBe(
      "[::1]",
    );
  });

  it("is undefined when neither names a usable host", () => {
    expect(pageHostOf(headers({}))).toBeUndefined();
    expect(pageHostOf(headers({ origin: "null", referer: "about:blank" }))).toBeUndefined();
  });
});

describe("decoyHostname: the order of the sources", () => {
  const all: DecoyHostInputs = {
    hostForm: "registrable-root",
    answer: "answer.example",
    reportedHost: "sdk.example",
    pageHost: "www.page.example",
    domains: ["domain.example", "second.example"],
    apis: ["api.shapes.example:8443", "localhost"],
  };

  it("hCaptcha: answer, hcaptcha-host, page root, first domain, first API's root", () => {
    expect(decoyHostname(all)).toBe("answer.example");
    expect(decoyHostname({ ...all, answer: undefined })).toBe("sdk.example");
    expect(decoyHostname({ ...all, answer: "" })).toBe("sdk.example");
    const noSdk = { ...all, answer: undefined, reportedHost: undefined };
    expect(decoyHostname(noSdk)).toBe("page.example");
    expect(decoyHostname({ ...noSdk, pageHost: undefined })).toBe("domain.example");
    expect(decoyHostname({ ...noSdk, pageHost: undefined, domains: [] })).toBe("shapes.example");
  });

  it("reCAPTCHA: the full hosts, and never hcaptcha-host", () => {
    // reCAPTCHA has no host parameter of its own: its check never reports one.
    const recaptcha = {
      ...all,
      hostForm: "full" as const,
      answer: undefined,
      reportedHost: undefined,
    };
    expect(decoyHostname(recaptcha)).toBe("www.page.example");
    expect(decoyHostname({ ...recaptcha, pageHost: undefined })).toBe("domain.example");
    expect(decoyHostname({ ...recaptcha, pageHost: undefined, domains: [] })).toBe(
      "api.shapes.example",
    );
  });

  it("keeps localhost and IP addresses as they are", () => {
    const bare = { ...all, answer: undefined, reportedHost: undefined, domains: [] };
    expect(decoyHostname({ ...bare, pageHost: "127.0.0.1" })).toBe("127.0.0.1");
    expect(decoyHostname({ ...bare, pageHost: "[2001:db8::1]" })).toBe("[2001:db8::1]");
    expect(decoyHostname({ ...bare, pageHost: undefined, apis: ["localhost:8002"] })).toBe(
      "localhost",
    );
  });

  it("is never empty", () => {
    expect(decoyHostname({ hostForm: "full", answer: "", domains: [], apis: [] })).not.toBe("");
  });
});
