import { describe, expect, it } from "vitest";
import { type FlagSpec, parseFlags } from "../src/args.js";
import { usageMessage } from "./helpers/usage-message.js";

const SPECS: readonly FlagSpec[] = [
  { name: "add", kind: "value", valueName: "<domain>", help: "" },
  { name: "allowWeb", kind: "switch", help: "" },
  { name: "domain", kind: "list", valueName: "<domain>", help: "" },
];

describe("parseFlags", () => {
  it("matches flag names case-insensitively and reports the seed's spelling", () => {
    const flags = parseFlags("api", ["-ADD", "x.example", "-allowweb"], SPECS);
    expect(flags.value("add")).toBe("x.example");
    expect(flags.has("allowWeb")).toBe(true);
    expect(flags.names()).toEqual(["add", "allowWeb"]);
  });

  it("accepts --flag and -flag=value", () => {
    const flags = parseFlags("api", ["--add=x.example", "--allowWeb"], SPECS);
    expect(flags.value("add")).toBe("x.example");
    expect(flags.has("allowWeb")).toBe(true);
  });

  it("keeps everything after the first = as the value", () => {
    expect(parseFlags("api", ["-add=a=b="], SPECS).value("add")).toBe("a=b=");
  });

  it("collects repeated list flags in order", () => {
    const flags = parseFlags("web", ["-domain", "a", "-Domain", "b", "--domain=c"], SPECS);
    expect(flags.list("domain")).toEqual(["a", "b", "c"]);
    expect(flags.list("add")).toEqual([]);
  });

  it("takes a value that starts with a dash when it is not a flag (a negative number)", () => {
    expect(parseFlags("api", ["-add", "-1"], SPECS).value("add")).toBe("-1");
  });

  it("refuses an unknown flag, naming it and the command", () => {
    expect(usageMessage(() => parseFlags("api", ["-bogus"], SPECS))).toBe(
      'unknown flag -bogus for "approov api" (see approov api -help)',
    );
  });

  it("does not echo the value of an unknown -flag=value", () => {
    const message = usageMessage(() => parseFlags("api", ["-token=s3cr3t"], SPECS));
    expect(message).toBe('unknown flag -token for "approov api" (see approov api -help)');
  });

  it("refuses a missing value at the end and before another flag", () => {
    expect(usageMessage(() => parseFlags("api", ["-add"], SPECS))).toBe(
      "-add needs a value <domain>",
    );
    expect(usageMessage(() => parseFlags("api", ["-add", "-allowWeb"], SPECS))).toBe(
      "-add needs a value <domain>",
    );
    expect(usageMessage(() => parseFlags("api", ["-add", "  "], SPECS))).toBe(
      "-add needs a value <domain>",
    );
    expect(usageMessage(() => parseFlags("api", ["-add="], SPECS))).toBe(
      "-add needs a value <domain>",
    );
  });

  it("refuses a value flag given twice", () => {
    expect(usageMessage(() => parseFlags("api", ["-add", "a", "-add", "b"], SPECS))).toBe(
      "-add is given more than once",
    );
  });

  it("refuses a value on a switch", () => {
    expect(usageMessage(() => parseFlags("api", ["-allowWeb=true"], SPECS))).toBe(
      "-allowWeb takes no value",
    );
  });

  it("refuses a stray argument by its position, never echoing it (it may be a secret)", () => {
    expect(usageMessage(() => parseFlags("api", ["-add", "a", "b"], SPECS))).toBe(
      'unexpected argument 3 after "approov api" (not a flag; flags start with -, see approov api -help)',
    );
    const secret = `0x${"ab12".repeat(10)}`;
    const message = usageMessage(() => parseFlags("api", [secret], SPECS));
    expect(message).toContain("unexpected argument 1");
    expect(message).not.toContain(secret.slice(0, 8));
    expect(usageMessage(() => parseFlags("api", ["-"], SPECS))).toContain("unexpected argument 1");
  });
});
