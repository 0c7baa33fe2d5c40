import { AttestError } from "./attest-error.js";

/** One request parameter, in the order received (names may repeat). */
export type Param = readonly [name: string, value: string];

const utf8 = new TextDecoder("utf-8", { fatal: true });
const PLUS = 0x2b;
const PERCENT = 0x25;
const AMPERSAND = 0x26;
const EQUALS = 0x3d;

const parseError = (detail: string) => AttestError.single(400, "rqst-body-parse", detail);

function hexValue(byte: number | undefined): number {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/** Strict application/x-www-form-urlencoded decoding of one name or value. */
function decodeComponent(bytes: Uint8Array, where: string): string {
  const out = new Uint8Array(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (byte === PLUS) {
      out[n++] = 0x20;
    } else if (byte === PERCENT) {
      // URLSearchParams would keep a bad escape literally; we refuse it.
      const high = hexValue(bytes[i + 1]);
      const low = hexValue(bytes[i + 2]);
      if (high < 0 || low < 0) throw parseError(`${where}: bad percent-encoding`);
      out[n++] = high * 16 + low;
      i += 2;
    } else {
      out[n++] = byte;
    }
  }
  try {
    return utf8.decode(out.subarray(0, n));
  } catch {
    throw parseError(`${where}: invalid UTF-8`);
  }
}

/** Parses `a=1&b=2` bytes (a form body or a query string) into parameters. */
export function parseFormEncoded(bytes: Uint8Array, where: string): Param[] {
  const params: Param[] = [];
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(AMPERSAND, start);
    if (end < 0) end = bytes.length;
    const pair = bytes.subarray(start, end);
    if (pair.length > 0) {
      const eq = pair.indexOf(EQUALS);
      const name = eq < 0 ? pair : pair.subarray(0, eq);
      const value = eq < 0 ? new Uint8Array(0) : pair.subarray(eq + 1);
      params.push([decodeComponent(name, where), decodeComponent(value, where)]);
    }
    start = end + 1;
  }
  return params;
}

async function parseMultipart(body: Uint8Array, contentType: string): Promise<Param[]> {
  let form: FormData;
  try {
    form = await new Response(body, { headers: { "content-type": contentType } }).formData();
  } catch {
    throw parseError("body: malformed multipart/form-data");
  }
  const params: Param[] = [];
  for (const [name, value] of form) {
    if (typeof value !== "string") throw parseError("body: file parts are not accepted");
    // The multipart parser replaces bad UTF-8 with U+FFFD instead of failing.
    if (name.includes("\uFFFD") || value.includes("\uFFFD")) {
      throw parseError("body: invalid UTF-8");
    }
    params.push([name, value]);
  }
  return params;
}

function mediaType(contentType: string | null): string {
  return (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/**
 * The request's parameters, from the query string or the body (never both):
 * a form-encoded or multipart body, strictly decoded.
 */
export async function parseParams(request: Request, body: Uint8Array): Promise<Param[]> {
  const url = new URL(request.url);
  const query = parseFormEncoded(new TextEncoder().encode(url.search.slice(1)), "query string");
  if (body.length === 0) return query;

  const contentType = request.headers.get("content-type");
  let fromBody: Param[];
  switch (mediaType(contentType)) {
    case "application/x-www-form-urlencoded":
      fromBody = parseFormEncoded(body, "body");
      break;
    case "multipart/form-data":
      fromBody = await parseMultipart(body, contentType as string);
      break;
    default:
      throw parseError(
        "body: Content-Type must be application/x-www-form-urlencoded or multipart/form-data",
      );
  }
  if (query.length > 0 && fromBody.length > 0) {
    throw AttestError.single(400, "rqst-params-in-body-and-path");
  }
  return fromBody.length > 0 ? fromBody : query;
}
