import { randomBytes } from "node:crypto";
import type { ApproovErrorBody } from "@shapes/protocol";
import type { Hono } from "hono";
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  SignJWT,
} from "jose";
import { connEnv } from "./test-app.js";

/** What the SDK endpoints answer on success. */
export interface SdkAnswer {
  tokens: Record<string, string>;
  refreshToken?: string;
  expiries: Record<string, number>;
}

export interface ProofOptions {
  htm?: string;
  htu?: string;
  /** Seconds; defaults to the client's clock. */
  iat?: number;
  jti?: string;
  /** null leaves the claim out; undefined uses the latest server nonce. */
  nonce?: string | null;
  /** Replaces the protected header's fields (e.g. typ, alg, jwk). */
  header?: Record<string, unknown>;
  /** Extra or replacing claims. */
  claims?: JWTPayload;
}

type Form = [string, string][];
/**
 * Where a client's requests go: an app (socket-less app.request) or a function that sends
 * them over a real socket.
 */
export type SdkTarget = Hono | ((path: string, init: RequestInit) => Promise<Response>);
type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];

/**
 * A test stand-in for approov.js's session: an ES256 key pair, DPoP proofs signed
 * with jose (SignJWT with the public jwk in the header), and the server nonce dance
 * (keep the latest DPoP-Nonce; retry once on aprv-invalid-nonce).
 */
export class DpopClient {
  /** The latest server nonce seen. */
  nonce: string | undefined;
  readonly sent: string[] = [];

  private constructor(
    readonly privateKey: SigningKey,
    readonly jwk: JWK,
    readonly jkt: string,
    readonly now: () => number,
    readonly origin: string,
  ) {}

  static async create(now: () => number, origin = "http://localhost"): Promise<DpopClient> {
    const { privateKey, publicKey } = await generateKeyPair("ES256");
    const { kty, crv, x, y } = await exportJWK(publicKey);
    const jwk = { kty, crv, x, y } as JWK;
    return new DpopClient(
      privateKey,
      jwk,
      await calculateJwkThumbprint(jwk, "sha256"),
      now,
      origin,
    );
  }

  /** A proof for `path` (POST) with the latest nonce, unless options say otherwise. */
  async proof(path: string, options: ProofOptions = {}): Promise<string> {
    const nonce = options.nonce === undefined ? this.nonce : options.nonce;
    const payload: JWTPayload = {
      jti: options.jti ?? randomBytes(16).toString("base64url"),
      htm: options.htm ?? "POST",
      htu: options.htu ?? `${this.origin}${path}`,
      iat: options.iat ?? Math.floor(this.now() / 1000),
      ...(nonce !== null && nonce !== undefined ? { nonce } : {}),
      ...options.claims,
    };
    const proof = await new SignJWT(payload)
      .setProtectedHeader({ typ: "dpop+jwt", alg: "ES256", jwk: this.jwk, ...options.header })
      .sign(this.privateKey);
    this.sent.push(proof);
    return proof;
  }

  /** One POST with the given proof header (or none); remembers the answer's nonce. */
  async send(
    target: SdkTarget,
    path: string,
    form: Form,
    proof: string | undefined,
  ): Promise<Response> {
    const headers: Record<string, string> = {};
    if (proof !== undefined) headers.DPoP = proof;
    const init = { method: "POST", body: new URLSearchParams(form), headers };
    const res = await (typeof target === "function"
      ? target(path, init)
      : target.request(path, init, connEnv()));
    const nonce = res.headers.get("DPoP-Nonce");
    if (nonce) this.nonce = nonce;
    return res;
  }

  /** What the SDK does: a proof with the latest nonce, one retry on aprv-invalid-nonce. */
  async post(
    target: SdkTarget,
    path: string,
    form: Form,
    options: ProofOptions = {},
  ): Promise<Response> {
    const res = await this.send(target, path, form, await this.proof(path, options));
    if (res.status !== 400) return res;
    const body = (await res.clone().json()) as ApproovErrorBody;
    if (!("aprv-invalid-nonce" in body.errors)) return res;
    return this.send(target, path, form, await this.proof(path, { ...options, nonce: undefined }));
  }
}

/** The JSON of a 200 SDK answer (asserting the status and no-store). */
export async function sdkAnswer(res: Response): Promise<SdkAnswer> {
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  if (res.headers.get("cache-control") !== "no-store") throw new Error("answer is cacheable");
  return (await res.json()) as SdkAnswer;
}
