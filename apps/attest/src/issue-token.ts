import { createSecretKey, type KeyObject, randomBytes } from "node:crypto";
import type { ApproovTokenClaims, CaptchaEmbed } from "@shapes/protocol";
import { SignJWT } from "jose";

/**
 * Key of the tokens a failed check receives: random per process, never stored or
 * logged, so those tokens look legitimate but no backend can verify them.
 */
const DECOY_KEY = createSecretKey(randomBytes(32));

export interface TokenContent {
  /** Seconds since the epoch. */
  issuedAt: number;
  lifetimeSeconds: number;
  ip: string;
  arc: string;
  embed: Record<string, CaptchaEmbed>;
  pay?: string;
  /** SDK sessions: the session key's RFC 7638 thumbprint (`cnf.jkt`). */
  jkt?: string;
}

/** Signs Approov tokens (HS256 JWTs) with the account secret, imported once. */
export class TokenIssuer {
  readonly #accountKey: KeyObject;

  constructor(accountSecretBase64: string) {
    this.#accountKey = createSecretKey(Buffer.from(accountSecretBase64, "base64"));
  }

  /**
   * A valid token when `passed`, otherwise the same shape signed with the decoy
   * key: the client cannot tell them apart, only the backend can.
   */
  issue(content: TokenContent, passed: boolean): Promise<string> {
    const claims: Omit<ApproovTokenClaims, "exp" | "iat"> = {
      ip: content.ip,
      arc: content.arc,
      embed: content.embed,
    };
    if (content.pay !== undefined) claims.pay = content.pay;
    if (content.jkt !== undefined) claims.cnf = { jkt: content.jkt };
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuedAt(content.issuedAt)
      .setExpirationTime(content.issuedAt + content.lifetimeSeconds)
      .sign(passed ? this.#accountKey : DECOY_KEY);
  }
}
