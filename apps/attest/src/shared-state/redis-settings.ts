import { ConfigError } from "@shapes/node-service";

/** Where the shared state lives when several instances serve one account. */
export interface RedisSettings {
  /** `redis://[user:password@]host[:port][/db]` or `rediss://` (TLS). Never logged. */
  url: string;
  /** Prefix of every key and channel attest uses (default "approov:"). */
  keyPrefix: string;
}

export const DEFAULT_REDIS_KEY_PREFIX = "approov:";

/** Letters, digits and `:_.-`: a prefix that cannot split or collide with a key part. */
const KEY_PREFIX = /^[A-Za-z0-9:_.-]{1,64}$/;

/**
 * `REDIS_URL` (unset or empty: the in-memory store, one instance) and `REDIS_KEY_PREFIX`.
 * Error messages never echo the URL: it may hold a password.
 */
export function redisSettingsFromEnv(
  env: Record<string, string | undefined>,
): RedisSettings | undefined {
  const raw = env.REDIS_URL?.trim();
  const prefixRaw = env.REDIS_KEY_PREFIX;
  const keyPrefix =
    prefixRaw === undefined || prefixRaw === "" ? DEFAULT_REDIS_KEY_PREFIX : prefixRaw;
  if (!KEY_PREFIX.test(keyPrefix)) {
    throw new ConfigError(
      `REDIS_KEY_PREFIX must be 1 to 64 of A-Z a-z 0-9 : _ . -, got "${keyPrefix.slice(0, 80)}"`,
    );
  }
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      "REDIS_URL must be a URL like redis://host:6379 (the value is not shown)",
    );
  }
  if ((url.protocol !== "redis:" && url.protocol !== "rediss:") || url.hostname === "") {
    throw new ConfigError(
      "REDIS_URL must start with redis:// or rediss:// and name a host (the value is not shown)",
    );
  }
  return { url: raw, keyPrefix };
}

/** host:port of the URL, for log lines (never the user or password). */
export function redisEndpoint(settings: RedisSettings): string {
  const url = new URL(settings.url);
  return `${url.hostname}:${url.port || "6379"}`;
}
