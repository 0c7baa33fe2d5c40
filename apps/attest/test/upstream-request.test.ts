import { createServer, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { UpstreamCheckError } from "../src/integrations/upstream-check-error.js";
import { upstreamRequest } from "../src/integrations/upstream-request.js";

const ANSWER = '{"success":true}';
const OK = `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${ANSWER.length}\r\nconnection: keep-alive\r\n\r\n${ANSWER}`;

/**
 * A raw HTTP/1.1 upstream that answers the first request on each connection and resets the
 * connection on the second, as a server closing an idle kept-alive connection does when a
 * request crosses the close. Counts connections and requests seen.
 */
async function resettingUpstream() {
  const seen = { connections: 0, requests: 0 };
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    seen.connections++;
    sockets.add(socket);
    let onThisSocket = 0;
    socket.on("data", (chunk) => {
      if (!chunk.toString("latin1").includes("\r\n\r\n")) return;
      seen.requests++;
      onThisSocket++;
      if (onThisSocket === 1) socket.write(OK);
      else socket.resetAndDestroy();
    });
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/siteverify`,
    seen,
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}

const request = (url: string) =>
  upstreamRequest({
    url,
    init: { method: "POST", body: new URLSearchParams({ response: "t" }), headers: {} },
    timeoutMs: 2000,
    code: "hcap-token-check",
    name: "siteverify",
  });

let upstream: Awaited<ReturnType<typeof resettingUpstream>> | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

describe("upstreamRequest on kept-alive connections", () => {
  it("reuses the connection, and resends once on a new one when a reused one is reset", async () => {
    upstream = await resettingUpstream();
    const first = await request(upstream.url);
    expect(first.status).toBe(200);
    expect(first.text).toBe(ANSWER);
    expect(first.header("Content-Type")).toBe("application/json");
    // The second check goes out on the kept-alive connection, which is reset: it is sent
    // again on a new connection and answered there.
    const second = await request(upstream.url);
    expect(second.text).toBe(ANSWER);
    expect(upstream.seen).toEqual({ connections: 2, requests: 3 });
  });

  it("does not resend on a new connection that fails: unreachable, as a coded error", async () => {
    upstream = await resettingUpstream();
    const url = upstream.url;
    await upstream.close();
    upstream = undefined;
    const error = await request(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamCheckError);
    expect((error as UpstreamCheckError).message).toBe("siteverify unreachable");
  });

  it("an answer cut off mid-body is a coded error, not a short answer", async () => {
    const server = createServer((socket) => {
      socket.on("data", () => {
        socket.write(
          'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"succ',
        );
        setTimeout(() => socket.destroy(), 20);
      });
      socket.on("error", () => {});
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const { port } = server.address() as { port: number };
    try {
      const error = await request(`http://127.0.0.1:${port}/siteverify`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UpstreamCheckError);
      expect((error as UpstreamCheckError).message).toBe("siteverify answer could not be read");
    } finally {
      await new Promise<void>((done) => server.close(() => done()));
    }
  });
});
