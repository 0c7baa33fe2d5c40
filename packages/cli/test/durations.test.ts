import { describe, expect, it } from "vitest";
import { formatSeconds, parseDuration } from "../src/durations.js";
import { UsageError } from "../src/errors.js";

describe("parseDuration", () => {
  it.each([
    ["2", 2],
    ["1.5", 1.5],
    [".5", 0.5],
    ["0", 0],
    ["500ms", 0.5],
    ["2s", 2],
    ["5m", 300],
    ["1h", 3600],
    ["1.5h", 5400],
    ["2S", 2],
    ["250MS", 0.25],
    [" 3s ", 3],
    ["100ms", 0.1],
    ["300ms", 0.3],
  ])("reads %j as %d seconds", (raw, seconds) => {
    expect(parseDuration("maxElapsedTime", raw)).toBe(seconds);
  });

  it.each(["", "s", "2x", "-1", "1e3", "2 s", "1h30m", "0x10", "Infinity", "2..5"])(
    "refuses %j with a message naming the flag and the forms",
    (raw) => {
      expect(() => parseDuration("maxResultLifetime", raw)).toThrow(UsageError);
      expect(() => parseDuration("maxResultLifetime", raw)).toThrow(
        `maxResultLifetime must be a duration in seconds (e.g. 2, 1.5) or with a unit (500ms, 2s, 5m, 1h), got "${raw}"`,
      );
    },
  );

  it("formats whole seconds as the seed does", () => {
    expect(formatSeconds(0)).toBe("0s");
    expect(formatSeconds(3600)).toBe("3600s");
  });
});
