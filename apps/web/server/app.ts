import { Hono } from "hono";
import type { WebConfig } from "./config.js";
import { configScript } from "./config-script.js";
import { contentSecurityPolicy } from "./csp.js";
import { fillPlaceholders } from "./fill-placeholders.js";
import { StaticFiles } from "./static-files.js";

/** The web server: `/config.js`, `/healthz`, and the built pages with their placeholders filled. */
export function createApp(config: WebConfig): Hono {
  const csp = contentSecurityPolicy(config);
  const script = configScript(config);
  const files = new StaticFiles(config.distDir, (text) => fillPlaceholders(text, config), {
    revalidate: config.revalidateFiles,
  });

  const app = new Hono();

  app.use(async (c, next) => {
    await next();
    c.header("Content-Security-Policy", csp);
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "strict-origin-when-cross-origin");
  });

  app.get("/healthz", (c) => c.json({ status: "ok" }));

  app.get("/config.js", (c) =>
    c.body(script, 200, {
      "Content-Type": "application/javascript; charset=utf-8",
      "Cache-Control": "no-store",
    }),
  );

  app.get("*", async (c) => {
    const result = await files.lookup(new URL(c.req.url).pathname);
    switch (result.kind) {
      case "file":
        return c.body(result.body, 200, {
          "Content-Type": result.contentType,
          "Cache-Control": result.cacheControl,
        });
      case "redirect":
        return c.redirect(result.location, 301);
      case "missing":
        return c.notFound();
    }
  });

  app.notFound((c) => c.text("Not Found", 404));

  // Never a stack trace to the client; the operator sees it in the log.
  app.onError((error, c) => {
    console.error("web: request failed:", error);
    return c.text("Internal Server Error", 500);
  });

  return app;
}
