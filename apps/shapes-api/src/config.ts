import { ConfigError, originsFromEnv, portFromEnv } from "@shapes/node-service";
import { ApproovConfigError, decodeApproovSecret } from "@shapes/verifier";
import type { ShapesApiConfig } from "./app.js";

export const DEFAULT_PORT = 8002;
export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_WEB_ORIGINS = ["http://localhost:8000"];

export interface ShapesApiSettings extends ShapesApiConfig {
  port: number;
  hostname: string;
}

/** Reads the service settings from env; throws ConfigError naming the bad variable. */
export function loadSettings(env: Record<string, string | undefined>): ShapesApiSettings {
  const raw = env.APPROOV_SECRET;
  if (raw === undefined || raw.trim() === "") {
    throw new ConfigError(
      "APPROOV_SECRET is required: the base64 account secret shared with the attest service",
    );
  }
  let secret: Uint8Array;
  try {
    secret = decodeApproovSecret(raw);
  } catch (error) {
    // The decoder's messages never contain the value, so this stays safe to print.
    if (error instanceof ApproovConfigError) {
      throw new ConfigError(`APPROOV_SECRET is invalid: ${error.message}`);
    }
    throw error;
  }
  return {
    port: portFromEnv(env, "SHAPES_PORT", DEFAULT_PORT),
    hostname: env.HOST || DEFAULT_HOST,
    secret,
    webOrigins: originsFromEnv(env, "WEB_ORIGIN", DEFAULT_WEB_ORIGINS),
  };
}
