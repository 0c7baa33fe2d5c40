import { ApproovConfigError } from "./errors.js";

/** The public key each accepted proof alg needs (RFC 7518, RFC 8037). */
export const DPOP_ALGORITHM_KEYS = {
  ES256: { kty: "EC", crv: "P-256", bytes: 32 },
  ES384: { kty: "EC", crv: "P-384", bytes: 48 },
  ES512: { kty: "EC", crv: "P-521", bytes: 66 },
  EdDSA: { kty: "OKP", crv: "Ed25519", bytes: 32 },
  Ed25519: { kty: "OKP", crv: "Ed25519", bytes: 32 },
  RS256: { kty: "RSA" },
  RS384: { kty: "RSA" },
  RS512: { kty: "RSA" },
  PS256: { kty: "RSA" },
  PS384: { kty: "RSA" },
  PS512: { kty: "RSA" },
} as const;

export type DpopAlgorithm = keyof typeof DPOP_ALGORITHM_KEYS;

export const DEFAULT_DPOP_ALGORITHMS: readonly DpopAlgorithm[] = ["ES256"];

export function isDpopAlgorithm(alg: unknown): alg is DpopAlgorithm {
  return typeof alg === "string" && Object.hasOwn(DPOP_ALGORITHM_KEYS, alg);
}

/**
 * Checks a configured allow-list: asymmetric signature algs only, so `none` and the HS*
 * MACs (whose "public" key would be the secret) can never be switched on.
 */
export function checkAlgorithmList(algorithms: readonly string[]): readonly DpopAlgorithm[] {
  if (!Array.isArray(algorithms) || algorithms.length === 0) {
    throw new ApproovConfigError("bad-option", "algorithms must be a non-empty list");
  }
  for (const alg of algorithms) {
    if (!isDpopAlgorithm(alg)) {
      throw new ApproovConfigError(
        "bad-option",
        `algorithms may only hold ${Object.keys(DPOP_ALGORITHM_KEYS).join(", ")}`,
      );
    }
  }
  return algorithms as readonly DpopAlgorithm[];
}
