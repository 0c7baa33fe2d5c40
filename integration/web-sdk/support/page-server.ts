import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";

export interface PageServer {
  /** The page's origin, e.g. http://127.0.0.1:41234 (a secure context, as WebCrypto needs). */
  origin: string;
  close(): Promise<void>;
}

const BLANK_PAGE =
  "<!doctype html><html><head><title>approov.js test page</title></head><body></body></html>";

/** A blank page and the built SDK at `/approov.js`, where the seed's examples import it from. */
export function startPageServer(sdkFile: string): Promise<PageServer> {
  const sdk = readFileSync(sdkFile);
  const app = new Hono();
  app.get("/", (c) => c.html(BLANK_PAGE));
  app.get("/approov.js", (c) =>
    c.body(sdk, 200, {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "no-store",
    }),
  );
  return new Promise((resolve) => {
    const server = serve(
      { fetch: app.fetch, port: 0, hostname: "127.0.0.1" },
      (info: AddressInfo) => {
        resolve({
          origin: `http://127.0.0.1:${info.port}`,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              if ("closeAllConnections" in server) server.closeAllConnections();
            }),
        });
      },
    );
  });
}
