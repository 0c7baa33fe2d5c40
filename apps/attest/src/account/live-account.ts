import {
  type ApproovTokenVerifier,
  createApproovTokenVerifier,
  decodeApproovEncryptionSecret,
  decodeApproovSecret,
} from "@shapes/verifier";
import { deriveKey } from "../tokens/derive-key.js";
import { TokenIssuer } from "../tokens/issue-token.js";
import { RefreshTokens } from "../tokens/refresh-token.js";
import type { Account } from "./account.js";

/**
 * One version of the account with its key material imported: what a request reads, once,
 * at its start (so a change mid-request cannot mix two configurations).
 */
export interface LiveAccount {
  readonly account: Readonly<Account>;
  readonly issuer: TokenIssuer;
  /** Seals and opens the SDK's refresh tokens (key derived from this version's secret). */
  readonly refreshTokens: RefreshTokens;
  /** The DPoP nonce HMAC key (derived from this version's secret). */
  readonly nonceKey: Uint8Array;
  /** Checks a token of this account like a backend would (admin `tokens/check`). */
  readonly verify: ApproovTokenVerifier;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

/** Imports the keys of `account` (once per account version) and freezes it. */
export function liveAccount(account: Account, now: () => number): LiveAccount {
  return {
    account: deepFreeze(account),
    issuer: new TokenIssuer(account.secret, account.encryptionSecret),
    // Derived per version: an instance that adopts another account (Redis) follows its secret.
    refreshTokens: new RefreshTokens(deriveKey(account.secret, "refreshToken"), now),
    nonceKey: deriveKey(account.secret, "dpopNonce"),
    verify: createApproovTokenVerifier({
      secret: decodeApproovSecret(account.secret),
      encryptionSecret: decodeApproovEncryptionSecret(account.encryptionSecret),
      // Admin checks are rare and each should be answered from scratch.
      cache: false,
      now,
    }),
  };
}
