import { createServer as createHttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createServer, type Server, type Socket } from "node:net";

/**
 * Stand-ins for a broken upstream siteverify (test fixtures, not stubs of our code):
 * a port nobody listens on, a server that accepts and never answers, and servers
 * answering a fixed status and body.
 */
export interface FaultServer {
  url: string;
  close(): Promise<void>;
}

function listen(server: Server | ReturnType<typeof createHttpServer>): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

/** A URL on a port that was free a moment ago and is now closed. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((done) => server.close(() => done()));
  return `http://127.0.0.1:${port}/siteverify`;
}

/** Accepts connections, reads the request, never answers. */
export async function silentServer(): Promise<FaultServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("data", () => {});
    socket.on("close", () => sockets.delete(socket));
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}/siteverify`,
    close: () =>
      new Promise((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}

/** Answers every request with `status` and `body`. */
export async function fixedAnswerServer(
  status: number,
  body: string,
  contentType = "application/json",
): Promise<FaultServer> {
  const server = createHttpServer((request, response) => {
    request.resume();
    request.on("end", () => {
      response.writeHead(status, { "content-type": contentType });
      response.end(body);
    });
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}/siteverify`,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
