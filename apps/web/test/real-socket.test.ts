import { connect } from "node:net";
import { type RunningService, runService } from "@shapes/node-service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../server/app.js";
import { createFixtureDist, type FixtureDist, localConfig } from "./fixture-dist.js";

let fixture: FixtureDist;
let service: RunningService;

beforeAll(async () => {
  fixture = createFixtureDist();
  service = await runService({
    name: "web-test",
    fetch: createApp(localConfig(fixture.distDir)).fetch,
    port: 0,
    handleSignals: false,
  });
});
afterAll(async () => {
  await service.close();
  fixture.remove();
});

/** Sends the request line exactly as written (no client-side URL normalisation). */
function rawGet(target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(service.port, "127.0.0.1", () => {
      socket.write(`GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
    });
    let response = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk) => {
      response += chunk;
    });
    socket.on("end", () => resolve(response));
    socket.on("error", reject);
  });
}

describe("over a real socket", () => {
  it("serves the pages and config.js", async () => {
    const home = await fetch(`${service.url}/`);
    expect(home.status).toBe(200);
    expect(home.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const config = await fetch(`${service.url}/config.js`);
    expect(await config.text()).toContain('"attestUrl": "http://localhost:8001/attest"');
  });

  it.each([
    "/../outside.txt",
    "/../../package.json",
    "/%2e%2e/outside.txt",
    "/%2e%2e%2foutside.txt",
    "/unprotected/../../outside.txt",
    "/unprotected/%2e%2e%2f%2e%2e%2foutside.txt",
  ])("answers 404 to %s", async (target) => {
    const response = await rawGet(target);
    expect(response).toMatch(/^HTTP\/1\.1 404 /);
    expect(response).not.toContain("must never be served");
  });

  it("refuses a request target that is not a path", async () => {
    const response = await rawGet("../outside.txt");
    expect(response).toMatch(/^HTTP\/1\.1 4\d\d /);
    expect(response).not.toContain("must never be served");
  });
});
