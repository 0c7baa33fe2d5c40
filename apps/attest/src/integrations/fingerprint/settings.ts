import { urlFromEnv } from "@shapes/node-service";

/** The Server API base URL of each Fingerprint region (no trailing slash needed). */
export interface FingerprintApiUrls {
  RoW: string;
  EU: string;
  /** Not a region the seed's accounts can name yet: configuration for later. */
  Asia: string;
}

/** Fingerprint's part of the service's settings. */
export interface FingerprintSettings {
  /** Fingerprint's Server API per region (the sandbox by default). */
  fingerprintApiUrls: FingerprintApiUrls;
}

const DEFAULTS: FingerprintSettings = {
  fingerprintApiUrls: {
    RoW: "http://127.0.0.1:8003/fingerprint/api",
    EU: "http://127.0.0.1:8003/fingerprint/eu-api",
    Asia: "http://127.0.0.1:8003/fingerprint/ap-api",
  },
};

export const FINGERPRINT_SETTINGS = {
  defaults: DEFAULTS,
  fromEnv: (env: Record<string, string | undefined>): FingerprintSettings => {
    const fp = DEFAULTS.fingerprintApiUrls;
    return {
      fingerprintApiUrls: {
        RoW: urlFromEnv(env, "FINGERPRINT_API_URL_ROW", fp.RoW),
        EU: urlFromEnv(env, "FINGERPRINT_API_URL_EU", fp.EU),
        Asia: urlFromEnv(env, "FINGERPRINT_API_URL_ASIA", fp.Asia),
      },
    };
  },
};
