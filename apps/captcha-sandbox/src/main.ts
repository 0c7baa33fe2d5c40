import { ConfigError, portFromEnv, runService } from "@shapes/node-service";
import { createApp } from "./app.js";

let port: number;
try {
  port = portFromEnv(process.env, "SANDBOX_PORT", 8003);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`captcha-sandbox: ${error.message}`);
  process.exit(1);
}

await runService({
  name: "captcha-sandbox",
  fetch: createApp().fetch,
  port,
  hostname: process.env.HOST || "127.0.0.1",
});
