import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createZip, dosDateTime, type ZipEntry, ZipError } from "../src/zip-writer.js";
import {
  expectPythonZipTestPasses,
  expectUnzipTestPassesIfInstalled,
  pythonZipExtract,
  pythonZipInfo,
  pythonZipTest,
} from "./helpers/zip-readers.js";

const WHEN = new Date(2024, 4, 17, 13, 45, 31); // local time, odd second: stored as :30

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "zip-writer-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function save(entries: ZipEntry[]): string {
  const file = join(dir, "test.zip");
  writeFileSync(file, createZip(entries));
  return file;
}

function zipError(fn: () => unknown): ZipError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ZipError);
    return error as ZipError;
  }
  throw new Error("expected a ZipError");
}

describe("createZip", () => {
  const text = Buffer.from("export const Approov = {};\n".repeat(200));
  const noise = randomBytes(4096);
  const entries: ZipEntry[] = [
    { name: "approov.js", data: text, modified: WHEN },
    { name: "noise.bin", data: noise, modified: WHEN },
    { name: "empty.txt", data: Buffer.alloc(0), modified: WHEN },
    { name: "docs/read me.txt", data: Buffer.from("hello\n"), modified: WHEN },
    { name: "docs/ünïcode.txt", data: Buffer.from("utf-8 name\n"), modified: WHEN },
  ];

  it("writes an archive that Python's zipfile (and unzip) test and extract byte for byte", () => {
    const file = save(entries);
    expectPythonZipTestPasses(file);
    expectUnzipTestPassesIfInstalled(file);
    const out = join(dir, "out");
    pythonZipExtract(file, out);
    for (const entry of entries) {
      expect(readFileSync(join(out, entry.name)).equals(Buffer.from(entry.data))).toBe(true);
    }
  });

  it("records names, sizes, CRCs, methods, DOS times and file modes", () => {
    const info = pythonZipInfo(save(entries));
    expect(info.map((i) => i.name)).toEqual(entries.map((e) => e.name));
    for (const [index, entry] of entries.entries()) {
      const item = info[index];
      expect(item?.size).toBe(entry.data.length);
      expect(item?.crc).toBe(crc32(entry.data));
      expect(item?.dateTime).toEqual([2024, 5, 17, 13, 45, 30]);
      expect(item?.mode).toBe(0o100644);
    }
    // Compressible text is deflated; random bytes, tiny and empty files are stored.
    expect(info.map((i) => i.method)).toEqual([8, 0, 0, 0, 0]);
    expect(info[0]?.compressedSize).toBeLessThan(text.length / 10);
    expect(info[1]?.compressedSize).toBe(noise.length);
    // Only the non-ASCII name carries the UTF-8 flag.
    expect(info.map((i) => i.flags & 0x800)).toEqual([0, 0, 0, 0, 0x800]);
  });

  it("writes the same bytes for the same input", () => {
    expect(createZip(entries).equals(createZip(entries))).toBe(true);
  });

  it("writes a valid empty archive: just the end record", () => {
    const zip = createZip([]);
    expect(zip.length).toBe(22);
    const file = join(dir, "empty.zip");
    writeFileSync(file, zip);
    expect(pythonZipInfo(file)).toEqual([]);
  });

  it("is caught by the readers when a byte of the data is damaged", () => {
    const zip = createZip([
      { name: "a.txt", data: Buffer.from("abcdef".repeat(50)), modified: WHEN },
    ]);
    const inData = 30 + "a.txt".length + 2;
    zip.writeUInt8(zip.readUInt8(inData) ^ 0xff, inData);
    const file = join(dir, "damaged.zip");
    writeFileSync(file, zip);
    const result = pythonZipTest(file);
    expect(result.code !== 0 || result.stdout.includes("corrupted")).toBe(true);
  });

  it("refuses names that could escape the extraction directory, and duplicates", () => {
    const data = Buffer.from("x");
    for (const name of [
      "",
      "/etc/passwd",
      "../x",
      "a/../../b",
      "a\\b",
      "a//b",
      "./a",
      "a/",
      "a\nb",
    ]) {
      expect(zipError(() => createZip([{ name, data, modified: WHEN }])).code).toBe(
        "bad-entry-name",
      );
    }
    const twice = () =>
      createZip([
        { name: "a", data, modified: WHEN },
        { name: "a", data, modified: WHEN },
      ]);
    expect(zipError(twice).code).toBe("duplicate-entry");
  });
});

describe("dosDateTime", () => {
  it("packs local time in 2-second steps", () => {
    const { time, date } = dosDateTime(WHEN);
    expect(time).toBe((13 << 11) | (45 << 5) | 15);
    expect(date).toBe((44 << 9) | (5 << 5) | 17);
  });

  it("clamps dates outside 1980..2107", () => {
    expect(dosDateTime(new Date(1970, 0, 1))).toEqual({ time: 0, date: (1 << 5) | 1 });
    expect(dosDateTime(new Date(Number.NaN))).toEqual({ time: 0, date: (1 << 5) | 1 });
    expect(dosDateTime(new Date(2200, 0, 1))).toEqual({
      time: (23 << 11) | (59 << 5) | 29,
      date: (127 << 9) | (12 << 5) | 31,
    });
  });
});
