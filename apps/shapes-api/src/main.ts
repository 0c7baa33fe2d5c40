import { ConfigError, runService } from "@shapes/node-service";
import { createApp } from "./app.js";
import { loadSettings } from "./config.js";

function fail(message: string): never {
  console.error(`shapes-api: ${message}`);
  process.exit(1);
}

let settings: ReturnType<typeof loadSettings>;
try {
  settings = loadSettings(process.env);
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
}

await runService({
  name: "shapes-api",
  fetch: createApp(settings).fetch,
  port: settings.port,
  hostname: settings.hostname,
  // Requests Node's parser refuses get the API's own error shape too.
  clientErrorBody: (_status, statusText) => ({ status: statusText.toLowerCase() }),
});
