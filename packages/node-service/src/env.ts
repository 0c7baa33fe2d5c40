/** Thrown for a bad setting, naming the variable so the operator knows what to fix. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

type Env = Record<string, string | undefined>;

/** A TCP port from `env[name]`, or `fallback` when unset; 0 asks the OS for a free port. */
export function portFromEnv(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || !/^\d+$/.test(raw)) {
    throw new ConfigError(`${name} must be a port number (0-65535), got "${raw}"`);
  }
  return port;
}

/** A positive whole number (e.g. milliseconds or bytes) from `env[name]`, or `fallback`. */
export function positiveIntFromEnv(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value <= 0) {
    throw new ConfigError(`${name} must be a positive whole number, got "${raw}"`);
  }
  return value;
}

/** An absolute http(s) URL from `env[name]`, or `fallback`. */
export function urlFromEnv(env: Env, name: string, fallback: string): string {
  const raw = env[name] || fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an absolute URL, got "${raw}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(`${name} must be an http(s) URL, got "${raw}"`);
  }
  return raw;
}

/**
 * Browser origins allowed by CORS, from a comma-separated `env[name]`
 * (e.g. "http://localhost:8000,https://shapes.example.com"), or `fallback`.
 */
export function originsFromEnv(env: Env, name: string, fallback: string[]): string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  return raw.split(",").map((entry) => {
    const origin = entry.trim();
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new ConfigError(
        `${name} must list origins like http://localhost:8000, got "${origin}"`,
      );
    }
    if (url.origin !== origin) {
      throw new ConfigError(`${name} entries must be bare origins (no path), got "${origin}"`);
    }
    return origin;
  });
}
