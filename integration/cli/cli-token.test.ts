import { createHash } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approov, type RunOptions } from "../../packages/cli/test/helpers/run-approov.js";
import { type AttestProcess, startAttest } from "./attest-process.js";

let attest: AttestProcess;
let secret: Uint8Array;
let run: (args: string[], options?: RunOptions) => ReturnType<typeof approov>;

beforeAll(async () => {
  attest = await startAttest();
  secret = Buffer.from((await attest.accountFile()).secret as string, "base64");
  run = (args, options = {}) =>
    approov(args, {
      cwd: attest.projectDir,
      ...options,
      env: { APPROOV_ATTEST_URL: attest.url, APPROOV_ASSUME_YES: "1", ...options.env },
    });
});
afterAll(async () => {
  await attest?.stop();
});

/** The token alone on one line, as `approov token -genExample` prints it. */
async function example(args: string[]): Promise<string> {
  const result = await run(["token", "-genExample", ...args]);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/^\S+\n$/);
  return result.stdout.trim();
}

describe("approov token (real binary, real attest)", () => {
  it("issues a valid example token that a backend accepts with the account secret", async () => {
    const token = await example(["localhost"]);
    const { payload, protectedHeader } = await jwtVerify(token, secret, { algorithms: ["HS256"] });
    expect(protectedHeader.alg).toBe("HS256");
    expect(payload.ip).toBe("127.0.0.1");
    expect(payload.embed).toEqual({});
    expect(payload.arc).toBeDefined();
    expect((payload.exp as number) - (payload.iat as number)).toBe(120);
    expect(payload.pay).toBeUndefined();
  });

  it("binds the example token to -setDataHashInToken (pay = base64 SHA-256)", async () => {
    const value = "Bearer user-token-123";
    const token = await example(["LOCALHOST", "-SetDataHashInToken", value]);
    const { payload } = await jwtVerify(token, secret, { algorithms: ["HS256"] });
    expect(payload.pay).toBe(createHash("sha256").update(value, "utf8").digest("base64"));
  });

  it("checks a valid token and prints its claims as one line of compact JSON", async () => {
    const token = await example(["localhost"]);
    const { payload } = await jwtVerify(token, secret, { algorithms: ["HS256"] });
    const result = await run(["token", "-check", token]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    const claims = JSON.parse(result.stdout);
    expect(claims).toEqual(payload);
    expect(result.stdout).toBe(`${JSON.stringify(claims)}\n`);
  });

  it("checks a token made elsewhere with the account secret (the quickstart's example claims)", async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      exp: now + 60,
      ip: "1.2.3.4",
      embed: {
        "hcap:aaaaa12345": { challenge_ts: "2021-06-04T17:36:07.000000Z", hostname: "example.com" },
      },
    };
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .sign(secret);
    const result = await run(["token", "-check", token]);
    expect(result).toEqual({ code: 0, stdout: `${JSON.stringify(claims)}\n`, stderr: "" });
  });

  it("refuses a tampered, an expired and a malformed token with the reason", async () => {
    const token = await example(["localhost"]);
    const [head, body, signature] = token.split(".") as [string, string, string];
    const tampered = `${head}.${body}.${signature.startsWith("A") ? "B" : "A"}${signature.slice(1)}`;
    const bad = await run(["token", "-check", tampered]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toMatch(/^approov: invalid token: .*signature.*\n$/);

    const expired = await new SignJWT({ ip: "1.2.3.4" })
      .setProtectedHeader({ alg: "HS256" })
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(secret);
    const old = await run(["token", "-check", expired]);
    expect(old.code).toBe(1);
    expect(old.stderr).toMatch(/^approov: invalid token: .*expired.*\n$/);

    const junk = await run(["token", "-check", "not-a-token"]);
    expect(junk.code).toBe(1);
    expect(junk.stderr).toMatch(/^approov: invalid token: .*malformed.*\n$/);
  });

  it("issues and checks an encrypted (JWE) token for an API added with -jwe", async () => {
    expect((await run(["api", "-add", "jwe.example", "-allowWeb", "-jwe"])).code).toBe(0);
    const token = await example(["jwe.example"]);
    expect(token.split(".")).toHaveLength(5);
    const result = await run(["token", "-check", token]);
    expect(result.code).toBe(0);
    const claims = JSON.parse(result.stdout);
    expect(claims.ip).toBe("127.0.0.1");
    expect(claims.embed).toEqual({});
  });

  it("refuses an example for an API that is not registered", async () => {
    const result = await run(["token", "-genExample", "unknown.example"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^approov: .*unknown\.example.*\n$/);
  });

  it("refuses bad usage with exit 2", async () => {
    expect(await run(["token"])).toEqual({
      code: 2,
      stdout: "",
      stderr: "approov: approov token needs one of -check <token>, -genExample <api>\n",
    });
    expect(await run(["token", "-check"])).toEqual({
      code: 2,
      stdout: "",
      stderr: "approov: -check needs a value <token>\n",
    });
    expect((await run(["token", "-check", "t", "-setDataHashInToken", "v"])).stderr).toBe(
      "approov: -setDataHashInToken only goes with -genExample\n",
    );
  });
});
