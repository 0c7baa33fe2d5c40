import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ApproovConfigError, decodeApproovSecret } from "../src/index.js";

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApproovConfigError) return error.code;
    throw error;
  }
  return undefined;
}

describe("decodeApproovSecret", () => {
  it("decodes standard base64, padded or not, ignoring surrounding whitespace", () => {
    const bytes = randomBytes(33);
    const text = bytes.toString("base64");
    expect(decodeApproovSecret(text)).toEqual(new Uint8Array(bytes));
    expect(decodeApproovSecret(`  ${text}\n`)).toEqual(new Uint8Array(bytes));
    const padded = randomBytes(32).toString("base64");
    expect(padded.endsWith("=")).toBe(true);
    expect(decodeApproovSecret(padded.replace(/=+$/, ""))).toEqual(
      new Uint8Array(Buffer.from(padded, "base64")),
    );
  });

  it("accepts the + and / characters of the standard alphabet", () => {
    const text = Buffer.alloc(48, 0xfb).toString("base64");
    expect(text).toMatch(/[+/]/);
    expect(decodeApproovSecret(text)).toEqual(new Uint8Array(48).fill(0xfb));
  });

  it("refuses empty input", () => {
    expect(codeOf(() => decodeApproovSecret(""))).toBe("secret-missing");
    expect(codeOf(() => decodeApproovSecret("  \n"))).toBe("secret-missing");
    expect(codeOf(() => decodeApproovSecret(undefined as unknown as string))).toBe(
      "secret-missing",
    );
  });

  it("refuses what is not standard base64", () => {
    const urlSafe = Buffer.alloc(48, 0xfb).toString("base64url");
    for (const bad of [
      "not base64 at all!",
      urlSafe,
      `${randomBytes(32).toString("base64")}===`,
      "A".repeat(45),
      "AAAA=AAA".repeat(8),
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", // 43 chars + "=": wrong padding length
    ]) {
      expect(
        codeOf(() => decodeApproovSecret(bad)),
        bad,
      ).toBe("secret-not-base64");
    }
  });

  it("refuses secrets shorter than 32 bytes, without echoing the value", () => {
    const short = randomBytes(31).toString("base64");
    expect(codeOf(() => decodeApproovSecret(short))).toBe("secret-too-short");
    try {
      decodeApproovSecret(short);
    } catch (error) {
      expect(String(error)).not.toContain(short);
      expect(String(error)).toMatch(/31 bytes/);
    }
  });
});
