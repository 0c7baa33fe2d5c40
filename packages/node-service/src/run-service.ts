import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";

export interface ServiceOptions {
  /** Shown in the startup line, e.g. "attest". */
  name: string;
  /** The Hono app's fetch handler (`app.fetch`). */
  fetch: (request: Request, ...rest: never[]) => Response | Promise<Response>;
  port: number;
  /** Interface to bind; 127.0.0.1 by default so a demo is not exposed to the network. */
  hostname?: string;
  /** Whether SIGINT/SIGTERM close the server (true for a process's main service). */
  handleSignals?: boolean;
}

export interface RunningService {
  /** Base URL, e.g. http://127.0.0.1:8001 (the real port when 0 was asked for). */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves a Hono app and prints one `<name> listening on <url>` line when ready. */
export function runService(options: ServiceOptions): Promise<RunningService> {
  const hostname = options.hostname ?? "127.0.0.1";
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: options.fetch as never, port: options.port, hostname },
      (info: AddressInfo) => {
        const host = info.family === "IPv6" ? `[${info.address}]` : info.address;
        const url = `http://${host}:${info.port}`;
        console.log(`${options.name} listening on ${url}`);
        const close = () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Keep-alive sockets would otherwise hold the close open.
            if ("closeAllConnections" in server) server.closeAllConnections();
          });
        if (options.handleSignals !== false) {
          for (const signal of ["SIGINT", "SIGTERM"] as const) {
            process.once(signal, () => {
              void close().then(() => process.exit(0));
            });
          }
        }
        resolve({ url, port: info.port, close });
      },
    );
    server.once("error", reject);
  });
}
