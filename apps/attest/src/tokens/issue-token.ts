import { createSecretKey, type KeyObject, randomBytes } from "node:crypto";
import type { ApproovTokenClaims } from "@shapes/protocol";
import { EncryptJWT } from "jose";
import { signHs256 } from "./hs256-jws.js";
import { type CryptoKey, importAesGcmKey } from "./import-keys.js";
import type { EmbedClaim } from "./token-embed.js";

/**
 * Keys of the tokens a failed check receives: random per process, never stored or
 * logged, so those tokens look legitimate (JWS or JWE alike) but no backend can verify them.
 */
const DECOY_SIGNING_KEY = createSecretKey(randomBytes(32));
const DECOY_ENCRYPTION_KEY = importAesGcmKey(randomBytes(32), ["encrypt"]);

/** The two forms of an Approov token: HS256 JWS, or (APIs with `jwe`) A256GCMKW JWE. */
export type TokenForm = "jws" | "jwe";

export { JWS_HEADER } from "./hs256-jws.js";
/** The JWE tokens' protected header, fixed: backends pin these algorithms. */
export const JWE_HEADER = { alg: "A256GCMKW", enc: "A256GCM", typ: "JWT" } as const;

export interface TokenContent {
  /** Seconds since the epoch. */
  issuedAt: number;
  lifetimeSeconds: number;
  ip: string;
  arc: string;
  /** What the token embeds (already chosen for its form, see token-embed.ts). */
  embed: EmbedClaim;
  pay?: string;
  /** SDK sessions: the session key's RFC 7638 thumbprint (`cnf.jkt`). */
  jkt?: string;
}

/**
 * Issues Approov tokens: HS256 JWTs signed with the account secret, or compact JWEs
 * (A256GCMKW + A256GCM) encrypted with the account encryption secret. Both keys are
 * made once, when the account (re)loads: a node:crypto key for the JWS (signed
 * synchronously, see hs256-jws.ts), a WebCrypto key for jose's JWE (see import-keys.ts).
 */
export class TokenIssuer {
  readonly #signingKey: KeyObject;
  readonly #encryptionKey: Promise<CryptoKey>;

  constructor(accountSecretBase64: string, encryptionSecretBase64: string) {
    this.#signingKey = createSecretKey(Buffer.from(accountSecretBase64, "base64"));
    this.#encryptionKey = importAesGcmKey(Buffer.from(encryptionSecretBase64, "base64"), [
      "encrypt",
    ]);
  }

  /**
   * A valid token when `passed`, otherwise the same shape under the decoy key of its
   * form: the client cannot tell them apart, only the backend can.
   */
  async issue(content: TokenContent, passed: boolean, form: TokenForm = "jws"): Promise<string> {
    const claims: Omit<ApproovTokenClaims, "exp" | "iat"> = {
      ip: content.ip,
      arc: content.arc,
      embed: content.embed,
    };
    if (content.pay !== undefined) claims.pay = content.pay;
    if (content.jkt !== undefined) claims.cnf = { jkt: content.jkt };
    const expires = content.issuedAt + content.lifetimeSeconds;
    if (form === "jwe") {
      return new EncryptJWT({ ...claims })
        .setProtectedHeader({ ...JWE_HEADER })
        .setIssuedAt(content.issuedAt)
        .setExpirationTime(expires)
        .encrypt(await (passed ? this.#encryptionKey : DECOY_ENCRYPTION_KEY));
    }
    // jose's SignJWT order: the claims, then iat and exp.
    return signHs256(
      { ...claims, iat: content.issuedAt, exp: expires },
      passed ? this.#signingKey : DECOY_SIGNING_KEY,
    );
  }
}
