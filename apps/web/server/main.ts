import { ConfigError, runService } from "@shapes/node-service";
import { createApp } from "./app.js";
import { readWebConfig } from "./config.js";
import { APPROOV_SITE_KEY_PLACEHOLDER } from "./fill-placeholders.js";
import { assertDistBuilt, DistMissingError } from "./static-files.js";

try {
  const config = readWebConfig(process.env);
  assertDistBuilt(config.distDir);
  if (config.approovSiteKey === undefined) {
    console.warn(
      `web: APPROOV_SITE_KEY is not set: the protected page keeps ${APPROOV_SITE_KEY_PLACEHOLDER}`,
    );
  }
  await runService({
    name: "web",
    fetch: createApp(config).fetch,
    port: config.port,
    hostname: config.hostname,
  });
} catch (error) {
  if (error instanceof ConfigError || error instanceof DistMissingError) {
    console.error(`web: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
