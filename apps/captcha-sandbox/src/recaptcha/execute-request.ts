import { InputError } from "../input-error.js";
import { readJsonObject } from "../json-body.js";
import { KEY_FORMAT, KEY_FORMAT_TEXT } from "../key-format.js";
import { isPageHost } from "../registrable-host.js";

export type RecaptchaKind = "v2" | "v3";

/** What `POST /recaptcha/api2/execute` asks for. */
export interface RecaptchaExecuteRequest {
  sitekey: string;
  /** v3 only; "" when the page gave none. */
  action: string;
  /** The page's `location.hostname`, lowercased. */
  host: string;
  kind: RecaptchaKind;
}

/** Google: "Actions may only contain alphanumeric characters, slashes, and underscores." */
const ACTION_FORMAT = /^[A-Za-z0-9_/]{1,100}$/;

/** Validates the JSON body `{"sitekey", "action"?, "host", "kind": "v2"|"v3"}`. */
export async function readRecaptchaExecute(request: Request): Promise<RecaptchaExecuteRequest> {
  const { sitekey, action, host, kind } = await readJsonObject(request);
  if (typeof sitekey !== "string" || !KEY_FORMAT.test(sitekey)) {
    throw new InputError("invalid-sitekey", `sitekey must be ${KEY_FORMAT_TEXT}`);
  }
  if (typeof host !== "string" || !isPageHost(host)) {
    throw new InputError("invalid-host", "host must be the page's hostname or IP address");
  }
  if (kind !== "v2" && kind !== "v3") {
    throw new InputError("invalid-kind", 'kind must be "v2" or "v3"');
  }
  if (
    action !== undefined &&
    action !== "" &&
    (typeof action !== "string" || !ACTION_FORMAT.test(action))
  ) {
    throw new InputError(
      "invalid-action",
      "action must be 1-100 characters of letters, digits, '_' or '/'",
    );
  }
  return {
    sitekey,
    action: kind === "v3" && typeof action === "string" ? action : "",
    host: host.toLowerCase().replace(/\.$/, ""),
    kind,
  };
}
