import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createFileOnce } from "../account/atomic-file.js";
import { ServiceError } from "../http/service-error.js";

export const ADMIN_KEY_FILE = "admin.key";
const ADMIN_KEY_BYTES = 32;
/** base64url of 32 bytes, no padding. */
const ADMIN_KEY_FORMAT = /^[A-Za-z0-9_-]{43}$/;

/** The admin key file exists but cannot be used (the message names the file, never the key). */
export class AdminKeyFileError extends ServiceError {
  override name = "AdminKeyFileError";
  constructor(message: string) {
    super("admin-key-invalid", message);
  }
}

export function adminKeyPath(dataDir: string): string {
  return join(dataDir, ADMIN_KEY_FILE);
}

async function readAdminKey(dataDir: string): Promise<string | undefined> {
  const path = adminKeyPath(dataDir);
  let text: string;
  try {
    // A real key file is 44 bytes; anything much larger is not one.
    const data = await readFile(path);
    if (data.length > 1024) throw new AdminKeyFileError(`${path}: is not an admin key`);
    text = data.toString("utf8").trim();
  } catch (error) {
    if (error instanceof AdminKeyFileError) throw error;
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new AdminKeyFileError(
      `${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
  if (!ADMIN_KEY_FORMAT.test(text)) {
    throw new AdminKeyFileError(
      `${path}: must hold the base64url of ${ADMIN_KEY_BYTES} bytes (remove it to get a new one)`,
    );
  }
  return text;
}

/**
 * The admin API key: read from `<dataDir>/admin.key`, or created there when missing (32
 * random bytes, base64url, mode 0600, linked into place so concurrent starts agree).
 */
export async function loadOrCreateAdminKey(
  dataDir: string,
): Promise<{ key: string; created: boolean }> {
  const existing = await readAdminKey(dataDir);
  if (existing) return { key: existing, created: false };
  const key = randomBytes(ADMIN_KEY_BYTES).toString("base64url");
  if (await createFileOnce(dataDir, ADMIN_KEY_FILE, `${key}\n`)) return { key, created: true };
  const winner = await readAdminKey(dataDir);
  if (!winner) throw new AdminKeyFileError(`${adminKeyPath(dataDir)}: vanished`);
  return { key: winner, created: false };
}
