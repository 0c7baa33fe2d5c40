import { InputError } from "./input-error.js";
import { readJsonObject } from "./json-body.js";
import { KEY_FORMAT, KEY_FORMAT_TEXT } from "./key-format.js";
import { isPageHost } from "./registrable-host.js";

export interface ExecuteRequest {
  sitekey: string;
  host: string;
}

/** Validates the JSON body `{"sitekey": "...", "host": "<location.hostname>"}`. */
export async function readExecuteRequest(request: Request): Promise<ExecuteRequest> {
  const { sitekey, host } = await readJsonObject(request);
  if (typeof sitekey !== "string" || !KEY_FORMAT.test(sitekey)) {
    throw new InputError("invalid-sitekey", `sitekey must be ${KEY_FORMAT_TEXT}`);
  }
  if (typeof host !== "string" || !isPageHost(host)) {
    throw new InputError("invalid-host", "host must be the page's hostname or IP address");
  }
  return { sitekey, host: host.toLowerCase() };
}
