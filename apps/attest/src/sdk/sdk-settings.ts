import { ConfigError, positiveIntFromEnv, urlFromEnv } from "@shapes/node-service";

/** Settings of the SDK protocol endpoints (`/token`, `/refresh`). */
export interface SdkSettings {
  /** How long a server nonce (DPoP-Nonce) is accepted after issue. */
  dpopNonceLifetimeSeconds: number;
  /** Oldest DPoP proof `iat` accepted, in seconds before now (also the replay window). */
  dpopMaxAgeSeconds: number;
  /** Most proof ids the in-memory replay store holds. */
  replayCacheMax: number;
  /**
   * The service's public origin (e.g. https://attest.example.com behind a TLS proxy):
   * proofs' `htu` is compared with it + the path. Unset: the URL the request arrived on.
   */
  publicOrigin?: string;
}

export const DEFAULT_SDK_SETTINGS: SdkSettings = {
  dpopNonceLifetimeSeconds: 300,
  dpopMaxAgeSeconds: 300,
  replayCacheMax: 100_000,
};

/** A day: longer windows only make nonces and proofs live longer (the verifier's limit too). */
const MAX_WINDOW_SECONDS = 86_400;

type Env = Record<string, string | undefined>;

function windowFromEnv(env: Env, name: string, fallback: number): number {
  const value = positiveIntFromEnv(env, name, fallback);
  if (value > MAX_WINDOW_SECONDS) {
    throw new ConfigError(`${name} must be at most ${MAX_WINDOW_SECONDS}, got "${value}"`);
  }
  return value;
}

/** A bare http(s) origin ("https://attest.example.com"); a trailing slash is tolerated. */
function originFromEnv(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const origin = urlFromEnv({ [name]: raw }, name, raw).replace(/\/$/, "");
  if (new URL(origin).origin !== origin) {
    throw new ConfigError(`${name} must be a bare origin like https://host[:port], got "${raw}"`);
  }
  return origin;
}

export function sdkSettingsFromEnv(env: Env): SdkSettings {
  const d = DEFAULT_SDK_SETTINGS;
  const settings: SdkSettings = {
    dpopNonceLifetimeSeconds: windowFromEnv(
      env,
      "DPOP_NONCE_LIFETIME_SECONDS",
      d.dpopNonceLifetimeSeconds,
    ),
    dpopMaxAgeSeconds: windowFromEnv(env, "DPOP_MAX_AGE_SECONDS", d.dpopMaxAgeSeconds),
    replayCacheMax: positiveIntFromEnv(env, "REPLAY_CACHE_MAX", d.replayCacheMax),
  };
  const publicOrigin = originFromEnv(env, "ATTEST_PUBLIC_ORIGIN");
  if (publicOrigin !== undefined) settings.publicOrigin = publicOrigin;
  return settings;
}
