/** The fields of a siteverify request (hCaptcha's names; Turnstile adds idempotency_key). */
export interface SiteverifyFields {
  secret?: string;
  response?: string;
  remoteip?: string;
  sitekey?: string;
  idempotency_key?: string;
}

const FIELD_NAMES = ["secret", "response", "remoteip", "sitekey", "idempotency_key"] as const;

/** The body is not a well-formed form: answered as `bad-request`. */
export class BadFormError extends Error {
  override name = "BadFormError";
  readonly code = "bad-request";
}

const FORM_TYPE = "application/x-www-form-urlencoded";

/**
 * Reads a form-encoded siteverify body strictly: the content type must be form-encoded,
 * the bytes valid UTF-8, every escape valid, and no field given twice (ambiguous).
 * Unknown fields are ignored, as hCaptcha does.
 */
export async function readSiteverifyForm(request: Request): Promise<SiteverifyFields> {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== FORM_TYPE) throw new BadFormError("body must be application/x-www-form-urlencoded");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(await request.arrayBuffer());
  } catch {
    throw new BadFormError("body is not valid UTF-8");
  }
  const fields: SiteverifyFields = {};
  const given = new Set<string>();
  for (const pair of text.split("&")) {
    if (pair === "") continue;
    const equals = pair.indexOf("=");
    const name = decodeFormPart(equals === -1 ? pair : pair.slice(0, equals));
    const value = decodeFormPart(equals === -1 ? "" : pair.slice(equals + 1));
    if (given.has(name)) throw new BadFormError(`field ${name} given more than once`);
    given.add(name);
    const known = FIELD_NAMES.find((field) => field === name);
    if (known !== undefined) fields[known] = value;
  }
  return fields;
}

function decodeFormPart(part: string): string {
  try {
    return decodeURIComponent(part.replaceAll("+", " "));
  } catch {
    throw new BadFormError("malformed percent-encoding");
  }
}
