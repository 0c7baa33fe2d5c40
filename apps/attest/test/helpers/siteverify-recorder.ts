import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A siteverify stand-in that records every form it receives and answers a success (or
 * what `answer` says): to see what attest sends upstream, e.g. `remoteip`, and how often.
 */
export interface SiteverifyRecorder {
  url: string;
  forms: URLSearchParams[];
  /** The JSON answered to the next requests. */
  answer: Record<string, unknown>;
  close(): Promise<void>;
}

export const RECORDER_ANSWER = {
  success: true,
  challenge_ts: "2025-01-01T00:00:00.000Z",
  hostname: "shapes.example",
  credit: false,
  score: 0.1,
  score_reason: ["safe"],
  sitekey: "the site key",
};

export async function siteverifyRecorder(): Promise<SiteverifyRecorder> {
  const recorder: Omit<SiteverifyRecorder, "url" | "close"> = {
    forms: [],
    answer: { ...RECORDER_ANSWER },
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      recorder.forms.push(new URLSearchParams(Buffer.concat(chunks).toString("utf8")));
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(recorder.answer));
    });
  });
  const port = await new Promise<number>((resolve) => {
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
  return Object.assign(recorder, {
    url: `http://127.0.0.1:${port}/siteverify`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  });
}
