// A reverse proxy in front of the real attest that fails the next requests of a kind on
// purpose (a status, or a dropped connection) and forwards everything else, recording what
// reached it: how the SDK's retries are seen from the wire.
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

/** A failure served instead of forwarding: an HTTP status, or the connection dropped unanswered. */
export type Fault =
  | { status: number; withNonce?: boolean; errors?: Record<string, string> }
  | "drop";

export interface SeenRequest {
  method: string;
  path: string;
  /** The DPoP header the request carried, if any. */
  dpop: string | undefined;
  /** The fault served, or "forwarded". */
  outcome: Fault | "forwarded";
  /** The DPoP-Nonce a fault's answer carried (`withNonce`). */
  servedNonce?: string;
}

export interface FlakyProxy {
  url: string;
  /** The next requests `method path` (e.g. "POST /token") get these faults, in order. */
  fail(request: string, faults: Fault[]): void;
  /** Every non-preflight request, in arrival order. */
  readonly seen: SeenRequest[];
  /** The requests `method path` seen. */
  seenOf(request: string): SeenRequest[];
  close(): Promise<void>;
}

/** Hop-by-hop headers (RFC 9110 section 7.6.1) the proxy must not pass on. */
const HOP_BY_HOP = ["connection", "keep-alive", "transfer-encoding", "upgrade"];

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const copy = { ...headers };
  for (const name of HOP_BY_HOP) delete copy[name];
  return copy;
}

export function startFlakyProxy(target: string): Promise<FlakyProxy> {
  const seen: SeenRequest[] = [];
  const plans = new Map<string, Fault[]>();

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const upstream = httpRequest(
      `${target}${req.url ?? "/"}`,
      // The Host header stays the proxy's: proofs name the URL the browser used (htu).
      { method: req.method, headers: endToEnd(req.headers) },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  };

  const answerFault = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    nonce: string | undefined,
    errors: Record<string, string> = { "proxy-fault": String(status) },
  ) => {
    req.resume();
    const body = JSON.stringify({ message: `flaky proxy: ${status}`, errors });
    res.writeHead(status, {
      "Content-Type": "application/json",
      // So that the page sees the status rather than a CORS failure.
      "Access-Control-Allow-Origin": req.headers.origin ?? "*",
      "Access-Control-Expose-Headers": "DPoP-Nonce",
      ...(nonce ? { "DPoP-Nonce": nonce } : {}),
    });
    res.end(body);
  };

  const server = createServer((req, res) => {
    // One request per connection: Chromium silently re-sends a request whose reused
    // connection was dropped, which would hide a drop from the SDK and the counts.
    res.shouldKeepAlive = false;
    if (req.method === "OPTIONS") return forward(req, res);
    const method = req.method ?? "";
    const path = new URL(req.url ?? "/", "http://proxy").pathname;
    const fault = plans.get(`${method} ${path}`)?.shift();
    const entry: SeenRequest = {
      method,
      path,
      dpop: req.headers.dpop as string | undefined,
      outcome: fault ?? "forwarded",
    };
    seen.push(entry);
    if (fault === undefined) return forward(req, res);
    if (fault === "drop") {
      req.socket.destroy();
      return;
    }
    void (async () => {
      if (fault.withNonce) {
        // A real nonce of attest's, as an instance that failed closed would send one.
        const nonce = (await fetch(`${target}/nonce`)).headers.get("DPoP-Nonce") ?? undefined;
        entry.servedNonce = nonce;
      }
      answerFault(req, res, fault.status, entry.servedNonce, fault.errors);
    })().catch(() => res.destroy());
  });

  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        fail: (request, faults) => plans.set(request, [...(plans.get(request) ?? []), ...faults]),
        seen,
        seenOf: (request) => seen.filter((entry) => `${entry.method} ${entry.path}` === request),
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
