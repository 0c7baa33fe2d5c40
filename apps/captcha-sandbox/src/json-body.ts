import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { InputError } from "./input-error.js";

/** Refuses a body over `maxBytes` with 413 `body-too-large`. */
export function jsonBodyLimit(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new InputError("body-too-large", `body exceeds ${maxBytes} bytes`, 413);
    },
  });
}

/** Reads a request body that must be `application/json` holding one JSON object. */
export async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") {
    throw new InputError("unsupported-content-type", "body must be application/json");
  }
  let body: unknown;
  try {
    body = JSON.parse(await request.text());
  } catch {
    throw new InputError("invalid-json", "body is not valid JSON");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new InputError("invalid-json", "body must be a JSON object");
  }
  return body as Record<string, unknown>;
}

/** Refuses fields other than `allowed`, so a typo in a test fails loudly. */
export function onlyFields(body: Record<string, unknown>, allowed: readonly string[]): void {
  for (const name of Object.keys(body)) {
    if (!allowed.includes(name)) {
      throw new InputError(
        "unknown-field",
        `unknown field "${name}" (allowed: ${allowed.join(", ")})`,
      );
    }
  }
}
