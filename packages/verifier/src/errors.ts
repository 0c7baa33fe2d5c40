/**
 * Why a token was refused. Stable strings: apps, logs and tests switch on them.
 * Every HTTP answer for them is the same 401, so the client learns nothing from the code.
 */
export const APPROOV_TOKEN_ERROR_CODES = {
  missing: "no Approov token was given",
  malformed: "the Approov token is not a well-formed JWT (compact JWS or JWE)",
  "bad-signature": "the Approov token signature does not verify with the account secret",
  "bad-algorithm": "the Approov token is not HS256, nor A256GCMKW + A256GCM",
  "unknown-key": "the Approov token kid does not name a configured key",
  "jws-not-accepted": "signed (JWS) Approov tokens are not accepted: no signing key is configured",
  "jwe-not-accepted":
    "encrypted (JWE) Approov tokens are not accepted: no encryption key is configured",
  "decryption-failed": "the Approov token does not decrypt with the encryption key",
  expired: "the Approov token has expired",
  "not-yet-valid": "the Approov token is not valid yet (nbf or iat in the future)",
  "missing-exp": "the Approov token has no exp claim",
  "bad-claims": "the Approov token claims have the wrong types",
} as const;

export type ApproovTokenErrorCode = keyof typeof APPROOV_TOKEN_ERROR_CODES;

/**
 * The base of every error the verifier raises on purpose, as jose has JOSEError: a stable
 * `code` (apps and logs switch on it) and a fixed message that never holds a token or secret.
 */
export class VerifierError extends Error {
  override name = "VerifierError";
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** A token was refused. The message is fixed per code and never contains the token. */
export class ApproovTokenError extends VerifierError {
  override name = "ApproovTokenError";
  declare readonly code: ApproovTokenErrorCode;

  constructor(code: ApproovTokenErrorCode) {
    super(code, APPROOV_TOKEN_ERROR_CODES[code]);
  }
}

export type ApproovConfigErrorCode =
  | "secret-missing"
  | "secret-not-base64"
  | "secret-too-short"
  | "secret-wrong-size"
  | "bad-option";

/** The verifier was set up wrongly (bad secret or option). Messages never contain the secret. */
export class ApproovConfigError extends VerifierError {
  override name = "ApproovConfigError";
  declare readonly code: ApproovConfigErrorCode;

  constructor(code: ApproovConfigErrorCode, message: string) {
    super(code, message);
  }
}
