import { ConfigError, portFromEnv, positiveIntFromEnv, runService } from "@shapes/node-service";
import { createApp, DEFAULT_FINGERPRINT_RATE_LIMIT } from "./app.js";

let port: number;
let fingerprintRateLimit: number;
try {
  port = portFromEnv(process.env, "SANDBOX_PORT", 8003);
  fingerprintRateLimit = positiveIntFromEnv(
    process.env,
    "SANDBOX_FP_RATE_LIMIT",
    DEFAULT_FINGERPRINT_RATE_LIMIT,
  );
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`captcha-sandbox: ${error.message}`);
  process.exit(1);
}

// Test controls are on unless explicitly turned off: this is a sandbox, never a real service.
const control = process.env.SANDBOX_CONTROL !== "0";

await runService({
  name: "captcha-sandbox",
  fetch: createApp({ control, fingerprintRateLimit }).fetch,
  port,
  hostname: process.env.HOST || "127.0.0.1",
});
