import type { webcrypto } from "node:crypto";
import { createSecretKey } from "node:crypto";
import type { ApproovTokenClaims } from "@shapes/protocol";
import { type JWTPayload, jwtDecrypt, jwtVerify } from "jose";
import { importA256GcmKwKey } from "./a256gcmkw-key.js";
import { checkClaimTypes, checkIssuedAt } from "./check-claims.js";
import { ApproovConfigError, ApproovTokenError } from "./errors.js";
import { verifyHs256 } from "./hs256-fast-verify.js";
import { importHs256VerifyKey } from "./hs256-key.js";
import { joseErrorCode } from "./jose-error-code.js";
import { type ApproovKey, KeyRing } from "./key-ring.js";
import { readTokenHeader, type TokenHeader } from "./token-header.js";
import {
  type TokenCacheOptions,
  tokenCacheKey,
  VerifiedTokenCache,
} from "./verified-token-cache.js";

export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 2;
export const MAX_CLOCK_TOLERANCE_SECONDS = 5;
/** Tokens with many embedded results stay well under this; anything longer is refused unparsed. */
export const DEFAULT_MAX_TOKEN_LENGTH = 16 * 1024;

/** The only algorithms accepted: HS256 for JWS, A256GCMKW + A256GCM for JWE. */
export const APPROOV_TOKEN_ALGORITHMS = {
  jws: "HS256",
  jweKeyManagement: "A256GCMKW",
  jweContentEncryption: "A256GCM",
} as const;

export interface ApproovTokenVerifierOptions {
  /** Shorthand for `keys: [{ secret }]`: the decoded account secret, at least 32 bytes. */
  secret?: Uint8Array;
  /** HS256 signing keys (rotation): a token's `kid` header picks one. */
  keys?: readonly ApproovKey[];
  /** Shorthand for `encryptionKeys: [{ secret }]`: the 32-byte account encryption secret. */
  encryptionSecret?: Uint8Array;
  /** A256GCMKW keys of JWE tokens (rotation by `kid`); without any, JWEs are refused. */
  encryptionKeys?: readonly ApproovKey[];
  /** Allowed clock skew for exp / nbf / iat, 0 to 5 seconds; default 2. */
  clockToleranceSeconds?: number;
  /** Longest token accepted, in characters; default 16 KiB. */
  maxTokenLength?: number;
  /** The verified-result cache (default on, 10 000 tokens); `false` turns it off. */
  cache?: TokenCacheOptions | false;
  /** Clock in ms; default Date.now. */
  now?: () => number;
}

/**
 * Resolves to the token's claims (frozen: the same object may be handed to several
 * requests), or rejects with an ApproovTokenError. `cached`, when present, answers
 * synchronously from the verified-result cache (undefined on a miss) so middleware can
 * skip a promise round trip on the hot path.
 */
export type ApproovTokenVerifier = ((token: string) => Promise<ApproovTokenClaims>) & {
  cached?: (token: string) => ApproovTokenClaims | undefined;
};

function checkTolerance(value: number): number {
  if (!Number.isFinite(value) || value < 0 || value > MAX_CLOCK_TOLERANCE_SECONDS) {
    throw new ApproovConfigError(
      "bad-option",
      `clockToleranceSeconds must be between 0 and ${MAX_CLOCK_TOLERANCE_SECONDS}`,
    );
  }
  return value;
}

function checkMaxLength(value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new ApproovConfigError("bad-option", "maxTokenLength must be a positive whole number");
  }
  return value;
}

/** `secret` and `keys` are two spellings of one setting: exactly one or neither. */
function keyList(
  single: Uint8Array | undefined,
  list: readonly ApproovKey[] | undefined,
  names: string,
): readonly ApproovKey[] | undefined {
  if (single !== undefined && list !== undefined) {
    throw new ApproovConfigError("bad-option", `give either ${names}, not both`);
  }
  return single !== undefined ? [{ secret: single }] : list;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

/**
 * Builds the Approov token check: an HS256 JWS signed with the account secret or an
 * A256GCMKW/A256GCM JWE encrypted with the account encryption secret, `exp` required.
 * Keys are imported once here and shared by every call; verified tokens are cached.
 */
export function createApproovTokenVerifier(
  options: ApproovTokenVerifierOptions,
): ApproovTokenVerifier {
  if (typeof options !== "object" || options === null) {
    throw new ApproovConfigError("bad-option", "options are required");
  }
  const tolerance = checkTolerance(
    options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
  );
  const maxLength = checkMaxLength(options.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH);
  const signingKeys = keyList(options.secret, options.keys, "secret or keys");
  const encryptionKeys = keyList(
    options.encryptionSecret,
    options.encryptionKeys,
    "encryptionSecret or encryptionKeys",
  );
  if (signingKeys === undefined && encryptionKeys === undefined) {
    throw new ApproovConfigError(
      "bad-option",
      "a signing secret (secret / keys) or an encryption secret (encryptionSecret / encryptionKeys) is required",
    );
  }
  const signing = signingKeys && new KeyRing(signingKeys, importHs256VerifyKey, "keys");
  // The same keys as node:crypto KeyObjects, for the HS256 fast path.
  const hmacKeys =
    signingKeys && new KeyRing(signingKeys, (secret) => createSecretKey(secret), "keys");
  const encryption =
    encryptionKeys && new KeyRing(encryptionKeys, importA256GcmKwKey, "encryptionKeys");
  const cache = options.cache === false ? undefined : new VerifiedTokenCache(options.cache);
  const clock = options.now;
  if (clock !== undefined && typeof clock !== "function") {
    throw new ApproovConfigError("bad-option", "now must be a function");
  }

  /** The key ring this token's form uses, once its form and algorithms are allowed. */
  function ringFor(header: TokenHeader): KeyRing<Promise<webcrypto.CryptoKey>> {
    const ring = header.form === "jws" ? signing : encryption;
    if (!ring) {
      throw new ApproovTokenError(header.form === "jws" ? "jws-not-accepted" : "jwe-not-accepted");
    }
    const allowed =
      header.form === "jws"
        ? header.alg === APPROOV_TOKEN_ALGORITHMS.jws
        : header.alg === APPROOV_TOKEN_ALGORITHMS.jweKeyManagement &&
          header.enc === APPROOV_TOKEN_ALGORITHMS.jweContentEncryption;
    if (!allowed) throw new ApproovTokenError("bad-algorithm");
    return ring;
  }

  function selected<Key>(ring: KeyRing<Key>, kid: string | undefined): Key {
    const key = ring.select(kid);
    if (!key) throw new ApproovTokenError("unknown-key");
    return key;
  }

  /** Plain HS256 JWSs are decided synchronously (node:crypto); the rest go through jose. */
  function verifyUncached(
    token: string,
    nowMs: number,
  ): ApproovTokenClaims | Promise<ApproovTokenClaims> {
    const header = readTokenHeader(token);
    const ring = ringFor(header);
    if (header.form === "jws" && header.plain && hmacKeys) {
      const key = selected(hmacKeys, header.kid);
      return deepFreeze(verifyHs256(token, key, nowMs, tolerance));
    }
    return verifyWithJose(token, header, selected(ring, header.kid), nowMs);
  }

  async function verifyWithJose(
    token: string,
    header: TokenHeader,
    keyPromise: Promise<webcrypto.CryptoKey>,
    nowMs: number,
  ): Promise<ApproovTokenClaims> {
    const key = await keyPromise;
    const claimOptions = {
      requiredClaims: ["exp"],
      clockTolerance: tolerance,
      currentDate: new Date(nowMs),
    };
    let payload: JWTPayload;
    try {
      // Pinned algorithms: the header's alg is never trusted to pick the check
      // (no none, no RS/HS swap, no dir or PBES2 for JWEs).
      ({ payload } =
        header.form === "jws"
          ? await jwtVerify(token, key, {
              ...claimOptions,
              algorithms: [APPROOV_TOKEN_ALGORITHMS.jws],
            })
          : await jwtDecrypt(token, key, {
              ...claimOptions,
              keyManagementAlgorithms: [APPROOV_TOKEN_ALGORITHMS.jweKeyManagement],
              contentEncryptionAlgorithms: [APPROOV_TOKEN_ALGORITHMS.jweContentEncryption],
            }));
    } catch (error) {
      const code = joseErrorCode(error);
      if (code === undefined) throw error;
      throw new ApproovTokenError(code);
    }
    const claims = checkClaimTypes(payload as Record<string, unknown>);
    checkIssuedAt(claims, Math.floor(nowMs / 1000), tolerance);
    return deepFreeze(claims);
  }

  const nowMs = () => (clock ? clock() : Date.now());

  /** A still-valid cached result; jose refuses when exp <= now - tolerance, so do hits. */
  function cached(token: string): ApproovTokenClaims | undefined {
    if (!cache || typeof token !== "string" || token === "" || token.length > maxLength) {
      return undefined;
    }
    return cache.get(tokenCacheKey(token), Math.floor(nowMs() / 1000));
  }

  /** Synchronous where it can be (cache hit, plain HS256); throws ApproovTokenError. */
  function verifyNow(token: string): ApproovTokenClaims | Promise<ApproovTokenClaims> {
    if (token === undefined || token === null || token === "") {
      throw new ApproovTokenError("missing");
    }
    if (typeof token !== "string" || token.length > maxLength) {
      throw new ApproovTokenError("malformed");
    }
    // Read per call (not captured once) so fake clocks in tests apply.
    const now = nowMs();
    if (!cache) return verifyUncached(token, now);
    const key = tokenCacheKey(token);
    const hit = cache.get(key, Math.floor(now / 1000));
    if (hit) return hit;
    const remember = (claims: ApproovTokenClaims) => {
      cache.set(key, claims, claims.exp + tolerance, token.length);
      return claims;
    };
    const claims = verifyUncached(token, now);
    return claims instanceof Promise ? claims.then(remember) : remember(claims);
  }

  // Not an async function: the fresh HS256 path then costs one resolved promise, not an
  // async frame plus an await per token.
  function verify(token: string): Promise<ApproovTokenClaims> {
    try {
      const claims = verifyNow(token);
      return claims instanceof Promise ? claims : Promise.resolve(claims);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  return Object.assign(verify, { cached });
}
