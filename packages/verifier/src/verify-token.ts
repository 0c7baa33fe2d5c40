import type { ApproovTokenClaims } from "@shapes/protocol";
import { jwtVerify } from "jose";
import { checkClaimTypes, checkIssuedAt } from "./check-claims.js";
import { ApproovConfigError, ApproovTokenError } from "./errors.js";
import { importHs256VerifyKey } from "./hs256-key.js";
import { joseErrorCode } from "./jose-error-code.js";

export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 2;
export const MAX_CLOCK_TOLERANCE_SECONDS = 5;
/** Tokens with many embedded results stay well under this; anything longer is refused unparsed. */
export const DEFAULT_MAX_TOKEN_LENGTH = 16 * 1024;

export interface ApproovTokenVerifierOptions {
  /** The account secret, already decoded (see decodeApproovSecret); at least 32 bytes. */
  secret: Uint8Array;
  /** Allowed clock skew for exp / nbf / iat, 0 to 5 seconds; default 2. */
  clockToleranceSeconds?: number;
  /** Longest token accepted, in characters; default 16 KiB. */
  maxTokenLength?: number;
}

/** Resolves to the token's claims, or rejects with an ApproovTokenError. */
export type ApproovTokenVerifier = (token: string) => Promise<ApproovTokenClaims>;

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

/**
 * Builds the Approov token check: an HS256 JWT signed with the account secret, with
 * a required `exp`. The key is imported once here and shared by every call.
 */
export function createApproovTokenVerifier(
  options: ApproovTokenVerifierOptions,
): ApproovTokenVerifier {
  const tolerance = checkTolerance(
    options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
  );
  const maxLength = checkMaxLength(options.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH);
  const key = importHs256VerifyKey(options.secret);

  return async (token) => {
    if (token === undefined || token === null || token === "") {
      throw new ApproovTokenError("missing");
    }
    if (typeof token !== "string" || token.length > maxLength) {
      throw new ApproovTokenError("malformed");
    }
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, await key, {
        // Pinned: the header's alg is never trusted to pick the check (no none, no RS/HS swap).
        algorithms: ["HS256"],
        requiredClaims: ["exp"],
        clockTolerance: tolerance,
      }));
    } catch (error) {
      const code = joseErrorCode(error);
      if (code === undefined) throw error;
      throw new ApproovTokenError(code);
    }
    const claims = checkClaimTypes(payload);
    checkIssuedAt(claims, Math.floor(Date.now() / 1000), tolerance);
    return claims;
  };
}
