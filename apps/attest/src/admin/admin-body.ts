import { ADMIN_MAX_BODY_BYTES } from "@shapes/protocol";
import type { Context } from "hono";
import type { Json } from "../account/field-checks.js";
import { BodyReadError, readBody } from "../http/read-body.js";
import { AdminError } from "./admin-error.js";

/**
 * The request's JSON object body, read within 16 KiB and the body deadline. Only
 * `application/json` is accepted (a plain HTML form cannot produce it).
 */
export async function readAdminJson(c: Context, timeoutMs: number): Promise<Json> {
  let bytes: Uint8Array;
  try {
    bytes = await readBody(c.req.raw, { maxBytes: ADMIN_MAX_BODY_BYTES, timeoutMs });
  } catch (error) {
    if (!(error instanceof BodyReadError)) throw error;
    if (error.code === "body-too-large") {
      throw new AdminError(413, `the body must be at most ${ADMIN_MAX_BODY_BYTES} bytes`);
    }
    throw new AdminError(400, "the body could not be read");
  }
  const type = c.req.header("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") {
    throw new AdminError(400, "the body must be JSON (Content-Type: application/json)");
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new AdminError(400, "the body is not valid JSON");
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new AdminError(400, "the body must be a JSON object");
  }
  return json as Json;
}
