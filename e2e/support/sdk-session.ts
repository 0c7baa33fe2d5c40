// A browser session as approov.js runs it, in Node: an ES256 key, DPoP proofs with the
// latest server nonce, /token once, then /refresh.
import { randomBytes } from "node:crypto";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";

export class SdkSession {
  #nonce: string | null = null;
  #refreshToken = "";

  private constructor(
    private readonly attest: string,
    private readonly key: CryptoKey,
    private readonly jwk: JWK,
  ) {}

  static async create(attest: string): Promise<SdkSession> {
    const { privateKey, publicKey } = await generateKeyPair("ES256");
    return new SdkSession(attest, privateKey as CryptoKey, await exportJWK(publicKey));
  }

  async #proof(url: string): Promise<string> {
    return new SignJWT({
      jti: randomBytes(16).toString("base64url"),
      htm: "POST",
      htu: url,
      iat: Math.floor(Date.now() / 1000),
      ...(this.#nonce ? { nonce: this.#nonce } : {}),
    })
      .setProtectedHeader({ typ: "dpop+jwt", alg: "ES256", jwk: this.jwk })
      .sign(this.key);
  }

  /** POSTs a form with a fresh proof; retries once when the server asks for its nonce. */
  async #post(path: string, form: Record<string, string>): Promise<Response> {
    const url = `${this.attest}${path}`;
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(url, {
        method: "POST",
        headers: { dpop: await this.#proof(url) },
        body: new URLSearchParams(form),
      });
      this.#nonce = response.headers.get("dpop-nonce") ?? this.#nonce;
      if (response.status === 400 && attempt === 0) {
        const body = await response.clone().json();
        if ("aprv-invalid-nonce" in (body.errors ?? {})) continue;
      }
      return response;
    }
  }

  async start(form: Record<string, string>): Promise<{ status: number; token?: string }> {
    const response = await this.#post("/token", form);
    if (response.status !== 200) return { status: response.status };
    const body = await response.json();
    this.#refreshToken = body.refreshToken;
    return { status: 200, token: Object.values(body.tokens as Record<string, string>)[0] };
  }

  async refresh(form: Record<string, string>): Promise<{ status: number; token?: string }> {
    const response = await this.#post("/refresh", { ...form, "refresh-token": this.#refreshToken });
    if (response.status !== 200) return { status: response.status };
    const body = await response.json();
    return { status: 200, token: Object.values(body.tokens as Record<string, string>)[0] };
  }
}
