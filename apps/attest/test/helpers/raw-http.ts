import { connect } from "node:net";

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Milliseconds from connecting to the complete response. */
  elapsedMs: number;
}

/**
 * Talks HTTP/1.1 over a raw TCP socket, so a test can send what fetch never would
 * (a body shorter than its Content-Length, an endless chunked body). `send` writes
 * to the socket; the promise settles once a whole response has arrived.
 */
export function rawHttp(
  port: number,
  send: (write: (data: string) => void) => void | Promise<void>,
  timeoutMs = 5000,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, "127.0.0.1");
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete response within ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = (response: RawResponse) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(response);
    };
    const tryParse = () => {
      const text = received.toString("latin1");
      const end = text.indexOf("\r\n\r\n");
      if (end < 0) return;
      const [statusLine = "", ...lines] = text.slice(0, end).split("\r\n");
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(":");
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const length = Number(headers["content-length"] ?? Number.NaN);
      const body = received.subarray(end + 4);
      if (Number.isNaN(length) || body.length < length) return;
      finish({
        status: Number(statusLine.split(" ")[1]),
        headers,
        body: body.subarray(0, length).toString("utf8"),
        elapsedMs: Date.now() - started,
      });
    };
    socket.on("data", (chunk) => {
      received = Buffer.concat([received, chunk]);
      tryParse();
    });
    socket.on("error", () => {
      // The server may reset the connection after answering; the answer is what counts.
      tryParse();
    });
    socket.on("connect", () => {
      void Promise.resolve(
        send((data) => {
          if (!socket.destroyed) socket.write(data);
        }),
      ).catch(reject);
    });
  });
}
