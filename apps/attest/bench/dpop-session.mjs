// An SDK session as approov.js runs it, in Node: one P-256 key per session, a fresh DPoP
// proof per request carrying the latest server nonce, the nonce dance on the first /token.
// Proofs are signed with node:crypto (the cheapest signer in Node) and the time spent
// signing is counted, because the client shares the machine's CPUs with attest.
import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { performance } from "node:perf_hooks";

const b64url = (value) => Buffer.from(value).toString("base64url");

export class SessionError extends Error {
  name = "SessionError";
}

/** RFC 7638 thumbprint of an EC public JWK (members in lexicographic order). */
export function ecThumbprint({ crv, x, y }) {
  return createHash("sha256")
    .update(JSON.stringify({ crv, kty: "EC", x, y }))
    .digest("base64url");
}

export class DpopSession {
  /** The latest DPoP-Nonce seen. */
  nonce;
  refreshToken;
  /** Microseconds spent signing proofs, and how many were signed. */
  signMicros = 0;
  signed = 0;
  #privateKey;
  #headerPart;
  #origin;

  constructor(origin) {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const { kty, crv, x, y } = publicKey.export({ format: "jwk" });
    this.jwk = { kty, crv, x, y };
    this.jkt = ecThumbprint(this.jwk);
    this.publicKey = publicKey;
    this.#privateKey = privateKey;
    this.#headerPart = b64url(JSON.stringify({ typ: "dpop+jwt", alg: "ES256", jwk: this.jwk }));
    this.#origin = origin;
  }

  /** A fresh proof for POST `path` with the latest nonce (none before the first answer). */
  proof(path) {
    const started = performance.now();
    const claims = {
      jti: randomBytes(16).toString("base64url"),
      htm: "POST",
      htu: `${this.#origin}${path}`,
      iat: Math.floor(Date.now() / 1000),
      ...(this.nonce !== undefined ? { nonce: this.nonce } : {}),
    };
    const input = `${this.#headerPart}.${b64url(JSON.stringify(claims))}`;
    const signature = sign("sha256", Buffer.from(input), {
      key: this.#privateKey,
      dsaEncoding: "ieee-p1363",
    });
    this.signMicros += (performance.now() - started) * 1000;
    this.signed += 1;
    return `${input}.${signature.toString("base64url")}`;
  }

  /** One POST with a fresh proof; keeps the answer's nonce. */
  async send(http, path, form) {
    const res = await http.postForm(path, form, { dpop: this.proof(path) });
    const nonce = res.headers["dpop-nonce"];
    if (typeof nonce === "string" && nonce !== "") this.nonce = nonce;
    return res;
  }

  /** POST /token as the SDK does: a proof without nonce, then the retry with the nonce. */
  async start(http, form) {
    let res = await this.send(http, "/token", form);
    if (res.status === 400 && res.text.includes("aprv-invalid-nonce")) {
      res = await this.send(http, "/token", form);
    }
    if (res.status !== 200) {
      throw new SessionError(`/token answered HTTP ${res.status}: ${res.text.slice(0, 200)}`);
    }
    const answer = JSON.parse(res.text);
    if (typeof answer.refreshToken !== "string") throw new SessionError("/token: no refreshToken");
    this.refreshToken = answer.refreshToken;
    return answer;
  }
}
