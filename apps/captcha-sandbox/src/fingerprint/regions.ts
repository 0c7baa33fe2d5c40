/** Fingerprint's regions as the agent names them (`load({region})`). */
export const FINGERPRINT_REGIONS = ["us", "eu", "ap"] as const;
export type FingerprintRegion = (typeof FINGERPRINT_REGIONS)[number];

/**
 * Where each region's Server API lives in the sandbox, standing in for
 * https://api.fpjs.io (RoW), https://eu.api.fpjs.io and https://ap.api.fpjs.io.
 */
export const SERVER_API_BASES: Record<FingerprintRegion, string> = {
  us: "/fingerprint/api",
  eu: "/fingerprint/eu-api",
  ap: "/fingerprint/ap-api",
};

export function isRegion(value: unknown): value is FingerprintRegion {
  return FINGERPRINT_REGIONS.some((region) => region === value);
}
