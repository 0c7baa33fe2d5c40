import http from "node:http";
import https from "node:https";
import { type UpstreamCheckCode, UpstreamCheckError } from "./upstream-check-error.js";

/** What an upstream answered: any status, with its (bounded) body as text. */
export interface UpstreamAnswer {
  status: number;
  /** A response header's value (names are case-insensitive). */
  header(name: string): string | undefined;
  text: string;
}

export interface UpstreamRequest {
  url: string;
  init: { method: "GET" | "POST"; body?: URLSearchParams; headers: Record<string, string> };
  /** One deadline for connecting, the answer and its body. */
  timeoutMs: number;
  /** The error code of a failure (the integration's token-check code). */
  code: UpstreamCheckCode;
  /** How details name the upstream, e.g. "siteverify". */
  name: string;
}

/** Upstream answers are small; a bigger one is refused rather than buffered. */
const MAX_ANSWER_BYTES = 64 * 1024;
/** What fetch sends with a URLSearchParams body, kept so upstreams see the same request. */
const FORM_TYPE = "application/x-www-form-urlencoded;charset=UTF-8";

/**
 * Keep-alive connections to each upstream, bounded: a check reuses a warm connection (and
 * its TLS session) instead of opening one, as fetch's pool did.
 */
const AGENTS = {
  "http:": new http.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 32 }),
  "https:": new https.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 32 }),
};

/**
 * One request to an integration's server, within `timeoutMs`, never following a redirect.
 * Resolves with whatever status came back (the caller decides what it means); rejects with
 * UpstreamCheckError when no complete answer arrived: unreachable, reset, too slow, too big.
 * node:http rather than fetch: undici's fetch (web streams, Request/Response objects) cost
 * /attest more CPU than the rest of the check.
 */
export function upstreamRequest(request: UpstreamRequest): Promise<UpstreamAnswer> {
  const fail = (detail: string) =>
    new UpstreamCheckError(request.code, `${request.name} ${detail}`);
  return new Promise((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      reject(fail("unreachable"));
      return;
    }
    const agent =
      url.protocol === "https:" || url.protocol === "http:" ? AGENTS[url.protocol] : undefined;
    if (!agent) {
      reject(fail("unreachable"));
      return;
    }
    const body = request.init.body?.toString();
    const headers: Record<string, string | number> = { ...request.init.headers };
    if (body !== undefined) {
      headers["content-type"] = FORM_TYPE;
      headers["content-length"] = Buffer.byteLength(body);
    }
    let settled = false;
    let current: http.ClientRequest | undefined;
    const settle = (error: UpstreamCheckError | undefined, answer?: UpstreamAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        current?.destroy();
        reject(error);
      } else resolve(answer as UpstreamAnswer);
    };
    const timer = setTimeout(
      () => settle(fail(`timed out after ${request.timeoutMs} ms`)),
      request.timeoutMs,
    );
    const client = url.protocol === "https:" ? https : http;
    const send = (firstTry: boolean) => {
      let answered = false;
      const req = client.request(url, { method: request.init.method, headers, agent }, (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) settle(fail("answered more than 64 KiB"));
          else chunks.push(chunk);
        });
        res.on("end", () =>
          settle(undefined, {
            status: res.statusCode ?? 0,
            header: (name) => {
              const value = res.headers[name.toLowerCase()];
              return Array.isArray(value) ? value.join(", ") : value;
            },
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("aborted", () => settle(fail("answer could not be read")));
        res.on("error", () => settle(fail("answer could not be read")));
      });
      current = req;
      req.on("error", () => {
        if (settled) return;
        // A kept-alive connection the upstream closed while idle fails before any answer:
        // the request never reached it, so it is sent once more on a new connection.
        if (!answered && firstTry && req.reusedSocket) send(false);
        else settle(fail(answered ? "answer could not be read" : "unreachable"));
      });
      req.end(body);
    };
    send(true);
  });
}

/** The answer's JSON, or UpstreamCheckError "<name> answered malformed JSON". */
export function answerJson(
  answer: UpstreamAnswer,
  request: Pick<UpstreamRequest, "code" | "name">,
) {
  try {
    return JSON.parse(answer.text) as unknown;
  } catch {
    throw new UpstreamCheckError(request.code, `${request.name} answered malformed JSON`);
  }
}
