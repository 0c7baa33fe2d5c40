import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { expect } from "vitest";

/** Independent ZIP readers (Python's zipfile, Info-ZIP's unzip) to check what we write. */

function run(command: string, args: string[]): { code: number | null; stdout: string } {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: 15_000 });
  if (result.error) throw result.error;
  return { code: result.status, stdout: `${result.stdout}${result.stderr}` };
}

/**
 * `python3 -m zipfile -t`: reads every entry and checks its CRC. It exits 0 even for a
 * corrupted entry (it only prints so), hence the checks on its output.
 */
export function expectPythonZipTestPasses(file: string): void {
  const result = run("python3", ["-m", "zipfile", "-t", file]);
  expect(result.stdout).not.toContain("corrupted");
  expect(result.stdout).toContain("Done testing");
  expect(result.code).toBe(0);
}

/** What `python3 -m zipfile -t` says about a broken archive (it must not say all is well). */
export function pythonZipTest(file: string): { code: number | null; stdout: string } {
  return run("python3", ["-m", "zipfile", "-t", file]);
}

/** `python3 -m zipfile -e <file> <dir>`. */
export function pythonZipExtract(file: string, dir: string): void {
  const result = run("python3", ["-m", "zipfile", "-e", file, dir]);
  expect(result.stdout).toBe("");
  expect(result.code).toBe(0);
}

export interface PythonZipInfo {
  name: string;
  method: number;
  dateTime: number[];
  size: number;
  compressedSize: number;
  crc: number;
  mode: number;
  flags: number;
}

/** The central directory as Python's zipfile reads it. */
export function pythonZipInfo(file: string): PythonZipInfo[] {
  const script = [
    "import json, sys, zipfile",
    "with zipfile.ZipFile(sys.argv[1]) as z:",
    "  print(json.dumps([dict(name=i.filename, method=i.compress_type, dateTime=list(i.date_time),",
    "    size=i.file_size, compressedSize=i.compress_size, crc=i.CRC, mode=i.external_attr >> 16,",
    "    flags=i.flag_bits) for i in z.infolist()]))",
  ].join("\n");
  const result = run("python3", ["-c", script, file]);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as PythonZipInfo[];
}

const UNZIP = "/usr/bin/unzip";

/** `unzip -t` when Info-ZIP's unzip is installed (it may not be: not required). */
export function expectUnzipTestPassesIfInstalled(file: string): void {
  if (!existsSync(UNZIP)) return;
  const result = run(UNZIP, ["-t", file]);
  expect(result.stdout).toContain("No errors detected");
  expect(result.code).toBe(0);
}
