import { type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { serve } from "@hono/node-server";

export interface ServiceOptions {
  /** Shown in the startup line, e.g. "attest". */
  name: string;
  /** The Hono app's fetch handler (`app.fetch`). */
  fetch: (request: Request, ...rest: never[]) => Response | Promise<Response>;
  port: number;
  /** Interface to bind; 127.0.0.1 by default so a demo is not exposed to the network. */
  hostname?: string;
  /**
   * Whether this is the process's main service (the default): SIGINT/SIGTERM close it,
   * and a failure to listen prints one line and exits 1 instead of rejecting.
   */
  handleSignals?: boolean;
  /**
   * The JSON body of answers to requests Node's HTTP parser refuses before the app sees
   * them (malformed HTTP: 400, request line or headers over 16 KiB: 431, too slow: 408),
   * so those are documented errors in the service's own format too.
   */
  clientErrorBody?: (status: number, statusText: string) => unknown;
  /**
   * Runs once the server has stopped accepting and its in-flight requests have been
   * answered (or cut off after `drainTimeoutMs`): where the app closes what it holds
   * (e.g. its Redis connections). A rejection makes a signalled exit code 1.
   */
  onClose?: () => Promise<void> | void;
  /**
   * How long `close()` waits for in-flight requests before cutting their connections
   * (default 8 s: under the 10 s an orchestrator such as Docker waits before SIGKILL).
   */
  drainTimeoutMs?: number;
}

const DEFAULT_DRAIN_TIMEOUT_MS = 8000;

/** The service could not listen, e.g. its port is taken; the message says which. */
export class ListenError extends Error {
  override name = "ListenError";
}

function listenFailure(name: string, hostname: string, port: number, error: unknown): ListenError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === "EADDRINUSE"
      ? "the port is already in use (stop the other process or choose another port)"
      : code === "EACCES"
        ? "permission denied"
        : (error as Error).message;
  return new ListenError(`${name}: cannot listen on ${hostname}:${port}: ${reason}`);
}

export interface RunningService {
  /** Base URL, e.g. http://127.0.0.1:8001 (the real port when 0 was asked for). */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves a Hono app and prints one `<name> listening on <url>` line when ready. `close()`
 * (and SIGINT/SIGTERM, which then exit 0) drains: the listener closes at once (new
 * connections are refused), the requests in flight are answered, each connection is closed
 * as soon as it is idle (a request arriving on one meanwhile is answered with
 * `Connection: close`), then `onClose` runs.
 */
export function runService(options: ServiceOptions): Promise<RunningService> {
  const hostname = options.hostname ?? "127.0.0.1";
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: options.fetch as never, port: options.port, hostname },
      (info: AddressInfo) => {
        const host = info.family === "IPv6" ? `[${info.address}]` : info.address;
        const url = `http://${host}:${info.port}`;
        console.log(`${options.name} listening on ${url}`);
        let closing: Promise<void> | undefined;
        const close = () => {
          closing ??= drain(server as Server, options);
          return closing;
        };
        if (options.handleSignals !== false) {
          for (const signal of ["SIGINT", "SIGTERM"] as const) {
            process.once(signal, () => {
              void close().then(
                () => process.exit(0),
                (error: unknown) => {
                  console.error(`${options.name}: closing failed: ${(error as Error).message}`);
                  process.exit(1);
                },
              );
            });
          }
        }
        resolve({ url, port: info.port, close });
      },
    );
    server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) =>
      answerClientError(error, socket, options.clientErrorBody),
    );
    server.once("error", (error) => {
      const failure = listenFailure(options.name, hostname, options.port, error);
      if (options.handleSignals === false) return reject(failure);
      console.error(failure.message);
      process.exit(1);
    });
  });
}

/** Stops accepting, lets in-flight requests finish (bounded), then runs the close hook. */
async function drain(server: Server, options: ServiceOptions): Promise<void> {
  // A request that arrives on a kept-alive connection now is answered, and that
  // connection is not kept for another one.
  const answerAndClose = (_request: IncomingMessage, response: ServerResponse) => {
    response.shouldKeepAlive = false;
  };
  server.on("request", answerAndClose);
  const closed = new Promise<void>((done) => server.close(() => done()));
  // Connections between requests would hold the close open; one whose request was in
  // flight becomes idle after its answer and is closed by the next sweep.
  server.closeIdleConnections();
  const idle = setInterval(() => server.closeIdleConnections(), 50);
  const cutOff = setTimeout(
    () => server.closeAllConnections(),
    options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS,
  );
  try {
    await closed;
  } finally {
    clearInterval(idle);
    clearTimeout(cutOff);
    server.off("request", answerAndClose);
  }
  await options.onClose?.();
}

/** Writes a complete error answer on a connection Node could not parse, then closes it. */
function answerClientError(
  error: NodeJS.ErrnoException,
  socket: Socket,
  clientErrorBody: ServiceOptions["clientErrorBody"],
): void {
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const status =
    error.code === "HPE_HEADER_OVERFLOW"
      ? 431
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? 408
        : 400;
  const statusText = STATUS_CODES[status] ?? "Bad Request";
  const body = JSON.stringify(clientErrorBody?.(status, statusText) ?? { message: statusText });
  socket.end(
    `HTTP/1.1 ${status} ${statusText}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
