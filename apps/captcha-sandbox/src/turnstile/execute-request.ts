import { InputError } from "../input-error.js";
import { readJsonObject } from "../json-body.js";
import { KEY_FORMAT, KEY_FORMAT_TEXT } from "../key-format.js";
import { isPageHost } from "../registrable-host.js";

/** What `POST /turnstile/v0/execute` asks for: a widget's token. */
export interface TurnstileExecuteRequest {
  sitekey: string;
  /** The page's `location.hostname`, lowercased. */
  host: string;
  /** The widget's `data-action` ("" when none). */
  action: string;
  /** The widget's `data-cdata` ("" when none). */
  cdata: string;
}

/** Cloudflare: action up to 32 characters of [A-Za-z0-9_-]; cdata up to 255 of the same. */
const ACTION_FORMAT = /^[A-Za-z0-9_-]{0,32}$/;
const CDATA_FORMAT = /^[A-Za-z0-9_-]{0,255}$/;

function optionalText(value: unknown, name: string, format: RegExp, rule: string): string {
  if (value === undefined || value === null) return "";
  if (typeof value !== "string" || !format.test(value)) {
    throw new InputError(`invalid-${name}`, `${name} must be ${rule}`);
  }
  return value;
}

/** Validates the JSON body `{"sitekey", "host", "action"?, "cdata"?}`. */
export async function readTurnstileExecute(request: Request): Promise<TurnstileExecuteRequest> {
  const { sitekey, host, action, cdata } = await readJsonObject(request);
  if (typeof sitekey !== "string" || !KEY_FORMAT.test(sitekey)) {
    throw new InputError("invalid-sitekey", `sitekey must be ${KEY_FORMAT_TEXT}`);
  }
  if (typeof host !== "string" || !isPageHost(host)) {
    throw new InputError("invalid-host", "host must be the page's hostname or IP address");
  }
  return {
    sitekey,
    host: host.toLowerCase().replace(/\.$/, ""),
    action: optionalText(action, "action", ACTION_FORMAT, "up to 32 of A-Z a-z 0-9 _ -"),
    cdata: optionalText(cdata, "cdata", CDATA_FORMAT, "up to 255 of A-Z a-z 0-9 _ -"),
  };
}
