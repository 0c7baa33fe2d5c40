// Malformed requests for the fuzz test: a seeded generator, so a failure can be replayed
// with the seed it prints (FUZZ_SEED=<n>).

/** mulberry32: small, fast, good enough to pick malformed inputs reproducibly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array | string;
  /** What was malformed, for the failure message. */
  kind: string;
}

const PARAM_NAMES = [
  "api",
  "approov-site-key",
  "hcaptcha-site-key",
  "hcaptcha-token",
  "hcaptcha-key",
  "hcaptcha-host",
  "recaptcha-site-key",
  "recaptcha-token",
  "fingerprint-public-api-key",
  "fingerprint-visitor-id",
  "fingerprint-request-id",
  "payload",
  "refresh-token",
];

export function createFuzzer(seed: number, siteKey: string) {
  const random = seededRandom(seed);
  const int = (max: number) => Math.floor(random() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
  const b64url = (n: number) => Buffer.from(bytes(n)).toString("base64url");
  const text = (n: number) =>
    Array.from({ length: n }, () => String.fromCharCode(int(0x2fff))).join("");

  /** Something shaped like a JWT but wrong in one position (or everywhere). */
  function badJwt(): string {
    const header = pick([
      b64url(20),
      Buffer.from('{"alg":"none"}').toString("base64url"),
      Buffer.from('{"alg":"HS256","typ":"JWT"}').toString("base64url"),
      Buffer.from('{"typ":"dpop+jwt","alg":"ES256","jwk":{"kty":"EC"}}').toString("base64url"),
      Buffer.from("not json").toString("base64url"),
      "",
      "%%%",
    ]);
    const payload = pick([
      b64url(40),
      Buffer.from('{"exp":"soon"}').toString("base64url"),
      Buffer.from(`{"exp":${2 ** 53}}`).toString("base64url"),
      Buffer.from("[]").toString("base64url"),
      "",
    ]);
    const signature = pick([b64url(32), b64url(64), "", "!!"]);
    const parts = [header, payload, signature];
    if (random() < 0.2) parts.push(b64url(8), b64url(8)); // JWE-shaped
    if (random() < 0.1) parts.pop();
    return parts.join(".");
  }

  function paramValue(): string {
    return pick([
      "",
      "localhost",
      siteKey,
      "10000000-ffff-ffff-ffff-000000000001",
      text(int(40)),
      b64url(int(64)),
      "a".repeat(int(20_000)),
      badJwt(),
      "%",
      "\u0000",
    ]);
  }

  function formBody(): string {
    const parts: string[] = [];
    const count = int(12);
    for (let i = 0; i < count; i++) {
      const name = random() < 0.8 ? pick(PARAM_NAMES) : text(int(20));
      const encode = random() < 0.9;
      const value = paramValue();
      parts.push(
        encode ? `${encodeURIComponent(name)}=${encodeURIComponent(value)}` : `${name}=${value}`,
      );
    }
    if (random() < 0.1) parts.push("%zz=%");
    return parts.join(pick(["&", "&", "&", ";", "&&"]));
  }

  function attestRequest(): FuzzRequest {
    const path = pick(["/attest", "/token", "/refresh"]);
    const contentType = pick([
      "application/x-www-form-urlencoded",
      "application/x-www-form-urlencoded; charset=utf-8",
      "application/json",
      "multipart/form-data; boundary=xyz",
      "text/plain",
      "application/x-www-form-urlencoded; charset=latin1",
      "",
    ]);
    const headers: Record<string, string> = {};
    if (contentType) headers["content-type"] = contentType;
    if (random() < 0.5) headers.dpop = badJwt();
    const shape = int(6);
    if (shape === 0)
      return { method: "POST", path, headers, body: bytes(int(4096)), kind: "random bytes" };
    if (shape === 1)
      return {
        method: "POST",
        path,
        headers,
        body: "x=".padEnd(20_000 + int(50_000), "y"),
        kind: "huge body",
      };
    if (shape === 2)
      return {
        method: "POST",
        path: `${path}?${formBody()}`,
        headers,
        body: random() < 0.5 ? formBody() : undefined,
        kind: "query params",
      };
    if (shape === 3)
      return {
        method: "POST",
        path,
        headers,
        body: JSON.stringify({ api: [1, 2], "approov-site-key": null }),
        kind: "wrong types",
      };
    if (shape === 4)
      return {
        method: pick(["GET", "PUT", "DELETE", "PATCH"]),
        path,
        headers,
        body: undefined,
        kind: "wrong method",
      };
    return { method: "POST", path, headers, body: formBody(), kind: "malformed form" };
  }

  function shapesRequest(): FuzzRequest {
    const headers: Record<string, string> = {};
    if (random() < 0.9) headers["approov-token"] = random() < 0.1 ? "" : badJwt();
    if (random() < 0.3) headers.dpop = badJwt();
    if (random() < 0.2) headers.authorization = `Bearer ${b64url(int(64))}`;
    return {
      method: "GET",
      path: pick([
        "/v2/shapes",
        "/v2/shapes",
        "/v2/hello",
        "/v2/dpop/shapes",
        "/v2/bound/shapes",
        "/v2/mobile/shapes",
      ]),
      headers,
      kind: "bad token headers",
    };
  }

  return { attestRequest, shapesRequest, bytes, int };
}
