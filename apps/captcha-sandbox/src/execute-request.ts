import { isPageHost } from "./registrable-host.js";

export type ExecuteErrorCode =
  | "unsupported-content-type"
  | "invalid-json"
  | "invalid-sitekey"
  | "invalid-host"
  | "body-too-large";

/** A bad `POST /1/execute` request: answered with `status` and `{error: code, message}`. */
export class ExecuteInputError extends Error {
  override name = "ExecuteInputError";
  constructor(
    readonly code: ExecuteErrorCode,
    message: string,
    readonly status: 400 | 413 = 400,
  ) {
    super(message);
  }
}

export interface ExecuteRequest {
  sitekey: string;
  host: string;
}

/** Site keys are UUIDs at hCaptcha; accept any short token-like string. */
const SITE_KEY_FORMAT = /^[A-Za-z0-9_-]{1,128}$/;

/** Validates the JSON body `{"sitekey": "...", "host": "<location.hostname>"}`. */
export async function readExecuteRequest(request: Request): Promise<ExecuteRequest> {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") {
    throw new ExecuteInputError("unsupported-content-type", "body must be application/json");
  }
  let body: unknown;
  try {
    body = JSON.parse(await request.text());
  } catch {
    throw new ExecuteInputError("invalid-json", "body is not valid JSON");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ExecuteInputError("invalid-json", "body must be a JSON object");
  }
  const { sitekey, host } = body as Record<string, unknown>;
  if (typeof sitekey !== "string" || !SITE_KEY_FORMAT.test(sitekey)) {
    throw new ExecuteInputError(
      "invalid-sitekey",
      "sitekey must be 1-128 characters of letters, digits, '-' or '_'",
    );
  }
  if (typeof host !== "string" || !isPageHost(host)) {
    throw new ExecuteInputError("invalid-host", "host must be the page's hostname or IP address");
  }
  return { sitekey, host: host.toLowerCase() };
}
