import { describe, expect, it } from "vitest";
import { AdminClient, attestUrlFromEnv } from "../src/admin-client.js";
import { CliError } from "../src/errors.js";

// Only what a real attest process cannot easily be made to do: answers that break the
// contract. The contract itself is exercised by the integration tests.

const KEY = { key: "k", source: "APPROOV_ADMIN_KEY", file: "/d/admin.key" };

function clientAnswering(response: () => Response) {
  const seen: { url: string; init: RequestInit }[] = [];
  const client = new AdminClient("http://attest.test", KEY, async (url, init) => {
    seen.push({ url, init });
    return response();
  });
  return { client, seen };
}

async function failure(promise: Promise<unknown>): Promise<CliError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return error as CliError;
  }
  throw new Error("expected a CliError");
}

describe("attestUrlFromEnv", () => {
  it("defaults to http://127.0.0.1:8001 and drops a trailing slash", () => {
    expect(attestUrlFromEnv({})).toBe("http://127.0.0.1:8001");
    // The port npm start was given, unless the URL is set.
    expect(attestUrlFromEnv({ ATTEST_PORT: "38001" })).toBe("http://127.0.0.1:38001");
    expect(attestUrlFromEnv({ ATTEST_PORT: "38001", APPROOV_ATTEST_URL: "http://a:1" })).toBe(
      "http://a:1",
    );
    expect(() => attestUrlFromEnv({ ATTEST_PORT: "80x" })).toThrow(/ATTEST_PORT must be a port/);
    expect(attestUrlFromEnv({ APPROOV_ATTEST_URL: "https://a.example/base/" })).toBe(
      "https://a.example/base",
    );
  });

  it.each(["ftp://a", "not a url", "http://a/?q=1"])("refuses %j", (value) => {
    expect(() => attestUrlFromEnv({ APPROOV_ATTEST_URL: value })).toThrow(
      `APPROOV_ATTEST_URL must be an http(s) URL, got "${value}"`,
    );
  });
});

describe("AdminClient", () => {
  it("sends the admin key as a bearer token and JSON bodies to /admin/v1", async () => {
    const { client, seen } = clientAnswering(() =>
      Response.json({ domain: "a.b", allowWeb: true, jwe: true, alg: "HS256", enc: "A256GCMKW" }),
    );
    expect(await client.putApi("a.b", { allowWeb: true, jwe: true })).toEqual({
      domain: "a.b",
      allowWeb: true,
      jwe: true,
      alg: "HS256",
      enc: "A256GCMKW",
    });
    const [call] = seen;
    expect(call?.url).toBe("http://attest.test/admin/v1/apis/a.b");
    expect(call?.init.method).toBe("PUT");
    expect(call?.init.headers).toMatchObject({ authorization: "Bearer k" });
    expect(call?.init.body).toBe('{"allowWeb":true,"jwe":true}');
  });

  it("passes a 4xx error message on, with its field when the message lacks it", async () => {
    const plain = clientAnswering(() =>
      Response.json({ error: "unknown site k" }, { status: 404 }),
    );
    expect((await failure(plain.client.deleteWebEntry("hcaptcha", "k"))).message).toBe(
      "unknown site k",
    );
    const field = clientAnswering(() =>
      Response.json({ error: "must be true or false", field: "jwe" }, { status: 400 }),
    );
    expect((await failure(field.client.deleteApi("a.b"))).message).toBe(
      "must be true or false (jwe)",
    );
  });

  it("explains a 404 without a JSON error (an attest without the admin API)", async () => {
    const { client } = clientAnswering(() => new Response("404 Not Found", { status: 404 }));
    expect((await failure(client.account())).message).toBe(
      "the attest service at http://attest.test has no admin API at /account (HTTP 404): is it up to date?",
    );
  });

  it("reports a 5xx without its body", async () => {
    const { client } = clientAnswering(
      () => new Response("Error: at stack trace line", { status: 500 }),
    );
    const error = await failure(client.account());
    expect(error.message).toBe("the attest service failed (HTTP 500); see its log");
  });

  it("refuses answers that are not JSON, too large, or of the wrong shape", async () => {
    const text = clientAnswering(() => new Response("hello"));
    expect((await failure(text.client.account())).message).toBe(
      "unexpected answer from the attest service: not JSON",
    );
    const huge = clientAnswering(() => new Response("x".repeat(1024 * 1024 + 1)));
    expect((await failure(huge.client.account())).message).toBe(
      "unexpected answer from the attest service: too large",
    );
    const shape = clientAnswering(() => Response.json({ siteKey: 5 }));
    expect((await failure(shape.client.account())).message).toBe(
      "unexpected answer from the attest service: account.siteKey is not a string",
    );
    const site = clientAnswering(() =>
      Response.json({
        siteKey: "s",
        tokenLifetimeSeconds: 1,
        refreshTokenLifetimeSeconds: 1,
        apis: {},
        hcaptcha: { optional: true, sites: { k: { minScore: "high" } } },
      }),
    );
    expect((await failure(site.client.account())).message).toBe(
      "unexpected answer from the attest service: hcaptcha.sites.k.minScore is not a number",
    );
    const verdict = clientAnswering(() => Response.json({ valid: "maybe" }));
    expect((await failure(verdict.client.checkToken("t"))).message).toBe(
      "unexpected answer from the attest service: no verdict",
    );
  });

  it("turns a network failure into the unreachable message", async () => {
    const client = new AdminClient("http://attest.test", KEY, async () => {
      throw new TypeError("fetch failed");
    });
    const error = await failure(client.account());
    expect(error.code).toBe("unreachable");
    expect(error.message).toBe(
      "cannot reach the attest service at http://attest.test (is it running? npm start)",
    );
  });
});
