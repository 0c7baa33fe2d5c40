import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CliError } from "../src/errors.js";
import { writeFileAtomic } from "../src/write-file-atomic.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "write-atomic-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<CliError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CliError);
  return error as CliError;
}

describe("writeFileAtomic", () => {
  it("writes a new file, readable by all, and leaves no temporary file", async () => {
    const path = join(dir, "a.zip");
    await writeFileAtomic(path, Buffer.from("first"));
    expect(readFileSync(path, "utf8")).toBe("first");
    expect(statSync(path).mode & 0o777).toBe(0o644 & ~process.umask());
    expect(readdirSync(dir)).toEqual(["a.zip"]);
  });

  it("replaces an existing file (a new inode: readers of the old one are not disturbed)", async () => {
    const path = join(dir, "a.zip");
    writeFileSync(path, "old content that is longer than the new one");
    const before = statSync(path).ino;
    await writeFileAtomic(path, Buffer.from("new"));
    expect(readFileSync(path, "utf8")).toBe("new");
    expect(statSync(path).ino).not.toBe(before);
    expect(readdirSync(dir)).toEqual(["a.zip"]);
  });

  it("refuses a directory and a missing parent directory, writing nothing", async () => {
    mkdirSync(join(dir, "sub"));
    const onDirectory = await failure(writeFileAtomic(join(dir, "sub"), Buffer.from("x")));
    expect(onDirectory.code).toBe("write-failed");
    expect(onDirectory.message).toBe(`cannot write ${join(dir, "sub")}: it is a directory`);

    const missing = join(dir, "nope", "a.zip");
    const noParent = await failure(writeFileAtomic(missing, Buffer.from("x")));
    expect(noParent.message).toBe(
      `cannot write ${missing}: the directory ${join(dir, "nope")} does not exist`,
    );
    expect(readdirSync(dir)).toEqual(["sub"]);
    expect(readdirSync(join(dir, "sub"))).toEqual([]);
  });
});
