import { createSecretKey, type KeyObject } from "node:crypto";
import { secretsEqual } from "@shapes/node-service";
import type { CaptchaEmbed } from "@shapes/protocol";
import { ServiceError } from "../http/service-error.js";
import { openDirJwe, sealDirJwe } from "./dir-a256gcm-jwe.js";

/** What a refresh token carries. Encrypted: the browser holds it but cannot read it. */
export interface RefreshClaims {
  /** RFC 7638 thumbprint of the session key the token is bound to. */
  jkt: string;
  /** Seconds since the epoch. */
  iat: number;
  /** Session end, seconds since the epoch. */
  exp: number;
  /** Random session id: ties the session's decision log lines together. */
  sid: string;
  /** Whether the session's human check passed (false: only decoy tokens). */
  passed: boolean;
  /** What the session's Approov tokens embed: the minimal properties (JWS and JWE). */
  embed: Record<string, CaptchaEmbed>;
  /**
   * The full results of `embedResult` sites, for the session's JWE tokens only. Absent in
   * refresh tokens issued before JWE support (their sessions embed the minimal ones).
   */
  embedFull?: Record<string, Record<string, unknown>>;
  /** The client IP at the session's start. */
  ip: string;
  /** The `expiries` answered at /token (ms), repeated by every /refresh. */
  expiries: Record<string, number>;
}

/** The detail of `aprv-invalid-refresh-token`. */
export type RefreshTokenProblem = "missing" | "invalid" | "expired" | "bound to another key";

export class RefreshTokenError extends ServiceError {
  override name = "RefreshTokenError";
  constructor(readonly problem: RefreshTokenProblem) {
    super("refresh-token-invalid", problem);
  }
}

/**
 * Far above a real token (under 1 KiB, up to about 3.5 KiB with a full embedded result of
 * at most 2 KiB): nothing bigger is worth decrypting.
 */
const MAX_TOKEN_CHARS = 6144;
const JWE_COMPACT = /^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function hasShape(p: Record<string, unknown>): boolean {
  return (
    typeof p.jkt === "string" &&
    typeof p.sid === "string" &&
    typeof p.ip === "string" &&
    typeof p.passed === "boolean" &&
    Number.isSafeInteger(p.iat) &&
    Number.isSafeInteger(p.exp) &&
    isRecord(p.embed) &&
    Object.values(p.embed).every(isRecord) &&
    (p.embedFull === undefined ||
      (isRecord(p.embedFull) && Object.values(p.embedFull).every(isRecord))) &&
    isRecord(p.expiries) &&
    Object.values(p.expiries).every((v) => Number.isSafeInteger(v))
  );
}

/**
 * Seals and opens refresh tokens: compact JWE, `dir` + `A256GCM`, under a key derived
 * from the account secret (see derive-key.ts), made once per account version.
 * Stateless: the token is the session.
 */
export class RefreshTokens {
  readonly #key: KeyObject;
  readonly #now: () => number;

  constructor(key: Uint8Array, now: () => number) {
    this.#key = createSecretKey(key);
    this.#now = now;
  }

  seal(claims: RefreshClaims): string {
    const { iat, exp, ...rest } = claims;
    // jose's EncryptJWT order: the claims, then iat and exp.
    return sealDirJwe({ ...rest, iat, exp }, this.#key);
  }

  /**
   * The claims of `token` when it is ours, unexpired and bound to `jkt`; throws
   * RefreshTokenError otherwise. Without `jkt` (the proof failed) the binding is not
   * checked: the request is refused anyway, this only completes the error list.
   */
  open(token: string | undefined, jkt: string | undefined): RefreshClaims {
    if (token === undefined || token === "") throw new RefreshTokenError("missing");
    if (token.length > MAX_TOKEN_CHARS || !JWE_COMPACT.test(token)) {
      throw new RefreshTokenError("invalid");
    }
    const payload = openDirJwe(token, this.#key);
    if (!payload || !hasShape(payload)) throw new RefreshTokenError("invalid");
    const claims = payload as unknown as RefreshClaims;
    // As jose's jwtDecrypt without clock tolerance: expired once exp <= now (seconds).
    if (claims.exp <= Math.floor(this.#now() / 1000)) throw new RefreshTokenError("expired");
    if (jkt !== undefined && !secretsEqual(claims.jkt, jkt)) {
      throw new RefreshTokenError("bound to another key");
    }
    return claims;
  }
}
