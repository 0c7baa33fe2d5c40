import { ConfigError, originsFromEnv, portFromEnv } from "@shapes/node-service";
import {
  ApproovConfigError,
  decodeApproovEncryptionSecret,
  decodeApproovSecret,
} from "@shapes/verifier";
import type { ShapesApiConfig } from "./app.js";

export const DEFAULT_PORT = 8002;
export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_WEB_ORIGINS = ["http://localhost:8000"];

export interface ShapesApiSettings extends ShapesApiConfig {
  port: number;
  hostname: string;
}

type Env = Record<string, string | undefined>;

/** Decodes a base64 secret; the decoder's messages never contain the value. */
function secretFromEnv(env: Env, name: string, decode: (base64: string) => Uint8Array) {
  try {
    return decode(env[name] ?? "");
  } catch (error) {
    if (error instanceof ApproovConfigError) {
      throw new ConfigError(`${name} is invalid: ${error.message}`);
    }
    throw error;
  }
}

/** SHAPES_PUBLIC_ORIGIN: the bare origin browsers call when a TLS proxy sits in front. */
function publicOriginFromEnv(env: Env): string | undefined {
  const raw = env.SHAPES_PUBLIC_ORIGIN?.trim();
  if (!raw) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  const bare = url && url.pathname === "/" && !url.search && !url.hash && !url.username;
  if (!url || !bare || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new ConfigError(
      `SHAPES_PUBLIC_ORIGIN must be a bare http(s) origin like https://api.example.com, got "${raw}"`,
    );
  }
  return url.origin;
}

/** Reads the service settings from env; throws ConfigError naming the bad variable. */
export function loadSettings(env: Env): ShapesApiSettings {
  const raw = env.APPROOV_SECRET;
  if (raw === undefined || raw.trim() === "") {
    throw new ConfigError(
      "APPROOV_SECRET is required: the base64 account secret shared with the attest service",
    );
  }
  const settings: ShapesApiSettings = {
    port: portFromEnv(env, "SHAPES_PORT", DEFAULT_PORT),
    hostname: env.HOST || DEFAULT_HOST,
    secret: secretFromEnv(env, "APPROOV_SECRET", decodeApproovSecret),
    webOrigins: originsFromEnv(env, "WEB_ORIGIN", DEFAULT_WEB_ORIGINS),
  };
  // Optional: without it, JWE (encrypted) tokens are refused.
  if (env.APPROOV_ENCRYPTION_SECRET?.trim()) {
    settings.encryptionSecret = secretFromEnv(
      env,
      "APPROOV_ENCRYPTION_SECRET",
      decodeApproovEncryptionSecret,
    );
  }
  const publicOrigin = publicOriginFromEnv(env);
  if (publicOrigin !== undefined) settings.publicOrigin = publicOrigin;
  return settings;
}
