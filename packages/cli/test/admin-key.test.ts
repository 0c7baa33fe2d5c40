import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { adminKeyPath, loadAdminKey } from "../src/admin-key.js";
import { CliError } from "../src/errors.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "approov-key-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<CliError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return error as CliError;
  }
  throw new Error("expected a CliError");
}

describe("loadAdminKey", () => {
  it("prefers APPROOV_ADMIN_KEY", async () => {
    const key = await loadAdminKey({ APPROOV_ADMIN_KEY: " k1 \n" }, dir);
    expect(key).toEqual({
      key: "k1",
      source: "APPROOV_ADMIN_KEY",
      file: join(dir, ".data", "admin.key"),
    });
  });

  it("reads $ATTEST_DATA_DIR/admin.key (default .data) relative to the working directory", async () => {
    await mkdir(join(dir, ".data"));
    await writeFile(join(dir, ".data", "admin.key"), "default-key\n");
    expect((await loadAdminKey({}, dir)).key).toBe("default-key");
    await mkdir(join(dir, "other"));
    await writeFile(join(dir, "other", "admin.key"), "other-key");
    const key = await loadAdminKey({ ATTEST_DATA_DIR: "other" }, dir);
    expect(key).toEqual({
      key: "other-key",
      source: join(dir, "other", "admin.key"),
      file: join(dir, "other", "admin.key"),
    });
    expect(adminKeyPath({ ATTEST_DATA_DIR: "/abs" }, dir)).toBe("/abs/admin.key");
  });

  it("says where it looked when there is no key", async () => {
    const error = await failure(loadAdminKey({}, dir));
    expect(error.code).toBe("no-admin-key");
    expect(error.message).toBe(
      `no admin key: set APPROOV_ADMIN_KEY or run from the project directory after npm start (looked in ${join(dir, ".data", "admin.key")})`,
    );
  });

  it("refuses an empty or oversized key file", async () => {
    await writeFile(join(dir, "admin.key"), "\n");
    const empty = await failure(loadAdminKey({ ATTEST_DATA_DIR: "." }, dir));
    expect(empty.message).toBe(`the admin key file ${join(dir, "admin.key")} is empty`);
    await writeFile(join(dir, "admin.key"), "x".repeat(2000));
    const large = await failure(loadAdminKey({ ATTEST_DATA_DIR: "." }, dir));
    expect(large.message).toBe(`${join(dir, "admin.key")} is not an admin key file (too large)`);
  });
});
