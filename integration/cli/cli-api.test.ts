import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approov, type RunOptions } from "../../packages/cli/test/helpers/run-approov.js";
import { type AttestProcess, startAttest } from "./attest-process.js";

let attest: AttestProcess;
let run: (args: string[], options?: RunOptions) => ReturnType<typeof approov>;

beforeAll(async () => {
  attest = await startAttest();
  // From the project directory with attest's default .data: how the seeds run it.
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

describe("approov api (real binary, real attest)", () => {
  it("lists the pre-configured localhost API", async () => {
    const result = await run(["api", "-list"]);
    expect(result).toEqual({ code: 0, stdout: "localhost: alg:HS256, web\n", stderr: "" });
  });

  it("adds the quickstart's API verbatim, with web protection", async () => {
    const result = await run(["api", "-add", "shapes.approov.io", "-allowWeb"]);
    expect(result).toEqual({
      code: 0,
      stdout:
        "added API domain shapes.approov.io with type:account, alg:HS256\nweb protection enabled for shapes.approov.io\n",
      stderr: "",
    });
    const account = await attest.accountFile();
    expect((account.apis as Record<string, unknown>)["shapes.approov.io"]).toEqual({
      allowWeb: true,
      jwe: false,
    });
    expect((await run(["api", "-list"])).stdout).toBe(
      "localhost: alg:HS256, web\nshapes.approov.io: alg:HS256, web\n",
    );
  });

  it("adds with -jwe and -yes, lower-casing the domain; re-adding overwrites the whole entry", async () => {
    const jwe = await run(["api", "-ADD", "Your.Domain", "-allowweb", "-JWE", "-yes"], {
      env: { APPROOV_ASSUME_YES: "0" },
    });
    expect(jwe).toEqual({
      code: 0,
      stdout:
        "added API domain your.domain with type:account, alg:HS256, enc:A256GCMKW\nweb protection enabled for your.domain\n",
      stderr: "",
    });
    expect((await run(["api", "-list"])).stdout).toContain(
      "your.domain: alg:HS256, enc:A256GCMKW, web\n",
    );

    // "To disable web protection, you add the API again but without the flag."
    const plain = await run(["api", "--add", "your.domain"]);
    expect(plain).toEqual({
      code: 0,
      stdout: "added API domain your.domain with type:account, alg:HS256\n",
      stderr: "",
    });
    expect((await run(["api", "-list"])).stdout).toContain("your.domain: alg:HS256\n");
  });

  it("removes an API, and says so when it is not registered", async () => {
    await run(["api", "-add", "gone.example", "-allowWeb"]);
    const removed = await run(["api", "-remove", "gone.example"]);
    expect(removed).toEqual({ code: 0, stdout: "removed API domain gone.example\n", stderr: "" });
    expect((await run(["api", "-list"])).stdout).not.toContain("gone.example");

    const again = await run(["api", "-remove", "gone.example"]);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe("");
    expect(again.stderr).toMatch(/^approov: .*gone\.example.*\n$/);
  });

  it("prints a clear line when no API is registered", async () => {
    const { stdout } = await run(["api", "-list"]);
    for (const line of stdout.trim().split("\n")) {
      const domain = line.split(":")[0] as string;
      expect((await run(["api", "-remove", domain])).code).toBe(0);
    }
    expect(await run(["api", "-list"])).toEqual({
      code: 0,
      stdout: "no APIs registered (add one with: approov api -add <domain> -allowWeb)\n",
      stderr: "",
    });
    // Put the demo API back for the other tests of this file.
    expect((await run(["api", "-add", "localhost", "-allowWeb"])).code).toBe(0);
  });

  it("refuses bad input with exit 2 and asks the service nothing", async () => {
    const scheme = await run(["api", "-add", "https://shapes.approov.io"]);
    expect(scheme.code).toBe(2);
    expect(scheme.stderr).toBe(
      'approov: API domain must be a host name like api.example.com (letters, digits, dots, hyphens, optional :port; no scheme or path), got "https://shapes.approov.io"\n',
    );
    const missing = await run(["api", "-add"]);
    expect(missing).toEqual({
      code: 2,
      stdout: "",
      stderr: "approov: -add needs a value <domain>\n",
    });
    const stray = await run(["api", "-list", "-allowWeb"]);
    expect(stray.stderr).toBe("approov: -allowWeb only goes with -add\n");
    expect(stray.code).toBe(2);
  });
});
