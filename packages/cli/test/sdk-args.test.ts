import { describe, expect, it } from "vitest";
import { MAX_PATH_CHARS, parseSdkArgs } from "../src/commands/sdk.js";
import { CliError, UsageError } from "../src/errors.js";
import { usageMessage } from "./helpers/usage-message.js";

const EXAMPLE = "approov sdk -packageID approov.js.zip -getClientPackage approov.js.zip";

describe("approov sdk arguments", () => {
  it("reads the seed's command line", () => {
    expect(
      parseSdkArgs(["-packageID", "approov.js.zip", "-getClientPackage", "approov.js.zip"]),
    ).toEqual({ action: "get-package", packageId: "approov.js.zip", path: "approov.js.zip" });
  });

  it("takes the flags in any order and case, with one or two dashes or =", () => {
    expect(
      parseSdkArgs(["--getclientpackage=out/sdk.zip", "-PACKAGEID", "approov.js.zip"]),
    ).toEqual({ action: "get-package", packageId: "approov.js.zip", path: "out/sdk.zip" });
    expect(parseSdkArgs(["-packageID", "nope", "-help"])).toEqual({ action: "help" });
  });

  it("needs both flags, each with a value", () => {
    expect(usageMessage(() => parseSdkArgs([]))).toBe(
      `approov sdk needs -getClientPackage <file> (for example: ${EXAMPLE})`,
    );
    expect(usageMessage(() => parseSdkArgs(["-packageID", "approov.js.zip"]))).toBe(
      `approov sdk needs -getClientPackage <file> (for example: ${EXAMPLE})`,
    );
    expect(usageMessage(() => parseSdkArgs(["-getClientPackage", "a.zip"]))).toBe(
      `approov sdk needs -packageID <id> (for example: ${EXAMPLE})`,
    );
    expect(usageMessage(() => parseSdkArgs(["-packageID", "-getClientPackage", "a.zip"]))).toBe(
      "-packageID needs a value <id>",
    );
    expect(
      usageMessage(() => parseSdkArgs(["-packageID", "approov.js.zip", "-getClientPackage"])),
    ).toBe("-getClientPackage needs a value <file>");
    expect(usageMessage(() => parseSdkArgs(["-getLibrary", "x"]))).toBe(
      'unknown flag -getLibrary for "approov sdk" (see approov sdk -help)',
    );
  });

  it("refuses an unknown package ID with exit status 1, listing the valid IDs", () => {
    for (const id of ["approov.zip", "APPROOV.JS.ZIP", "android"]) {
      let thrown: unknown;
      try {
        parseSdkArgs(["-packageID", id, "-getClientPackage", "a.zip"]);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(CliError);
      expect(thrown).not.toBeInstanceOf(UsageError);
      expect(thrown).toMatchObject({
        code: "unknown-package",
        exitCode: 1,
        message: `unknown package ID "${id}" (valid IDs: approov.js.zip)`,
      });
    }
  });

  it("refuses a path with control characters or longer than PATH_MAX", () => {
    expect(
      usageMessage(() =>
        parseSdkArgs(["-packageID", "approov.js.zip", "-getClientPackage", "a\u001b[2J.zip"]),
      ),
    ).toBe("getClientPackage must not contain control characters");
    expect(
      usageMessage(() =>
        parseSdkArgs([
          "-packageID",
          "approov.js.zip",
          "-getClientPackage",
          "a".repeat(MAX_PATH_CHARS + 1),
        ]),
      ),
    ).toBe(`getClientPackage is too long (more than ${MAX_PATH_CHARS} characters)`);
  });
});
