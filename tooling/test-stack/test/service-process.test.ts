import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startServiceProcess } from "../src/index.js";

/** A tiny real service: listens on a free port and prints the line node-service prints. */
function script(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), "test-stack-"));
  const file = join(dir, "service.mjs");
  writeFileSync(file, body);
  return file;
}

const LISTENER = `
import { createServer } from "node:http";
const server = createServer((req, res) => res.end(process.env.GREETING ?? "hi"));
server.listen(0, "127.0.0.1", () => console.log("demo listening on http://127.0.0.1:" + server.address().port));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
`;

describe("startServiceProcess", () => {
  it("resolves with the URL the service printed, serves, and stops it", async () => {
    const service = await startServiceProcess({
      name: "demo",
      args: [script(LISTENER)],
      env: { GREETING: "hello" },
    });
    expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(service.url)).text()).toBe("hello");
    expect(service.rssBytes()).toBeGreaterThan(1_000_000);
    await service.stop();
    expect(service.child.exitCode ?? service.child.signalCode).not.toBeNull();
    await expect(fetch(service.url)).rejects.toThrow();
  });

  it("rejects with what it printed when the service exits before listening", async () => {
    const failing = script(
      `console.error("demo: cannot listen: the port is taken"); process.exit(1);`,
    );
    await expect(startServiceProcess({ name: "demo", args: [failing] })).rejects.toThrow(
      /exited \(1\) before listening:\ndemo: cannot listen: the port is taken/,
    );
  });

  it("rejects and kills a service that does not listen in time", async () => {
    const silent = script("setInterval(() => {}, 1000);");
    await expect(
      startServiceProcess({ name: "demo", args: [silent], timeoutMs: 300 }),
    ).rejects.toThrow(/did not listen within 300 ms/);
  });
});
