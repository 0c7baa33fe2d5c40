import { describe, expect, it } from "vitest";
import {
  ConfigError,
  originsFromEnv,
  portFromEnv,
  positiveIntFromEnv,
  runService,
  urlFromEnv,
} from "../src/index.js";

describe("settings from env", () => {
  it("reads ports and falls back when unset", () => {
    expect(portFromEnv({}, "P", 8001)).toBe(8001);
    expect(portFromEnv({ P: "9000" }, "P", 8001)).toBe(9000);
    expect(() => portFromEnv({ P: "80a" }, "P", 1)).toThrow(ConfigError);
    expect(() => portFromEnv({ P: "70000" }, "P", 1)).toThrow(/P must be a port/);
  });

  it("reads positive integers, URLs and origins with errors naming the variable", () => {
    expect(positiveIntFromEnv({ T: "250" }, "T", 5)).toBe(250);
    expect(() => positiveIntFromEnv({ T: "0" }, "T", 5)).toThrow(/T must be a positive/);
    expect(urlFromEnv({}, "U", "http://127.0.0.1:8003/x")).toBe("http://127.0.0.1:8003/x");
    expect(() => urlFromEnv({ U: "ftp://x" }, "U", "http://a")).toThrow(/U must be an http/);
    expect(originsFromEnv({ O: "http://a:1, https://b.example" }, "O", [])).toEqual([
      "http://a:1",
      "https://b.example",
    ]);
    expect(() => originsFromEnv({ O: "http://a/path" }, "O", [])).toThrow(/bare origins/);
  });
});

describe("runService", () => {
  it("serves on a free port and closes", async () => {
    const service = await runService({
      name: "test",
      fetch: () => new Response("pong"),
      port: 0,
      handleSignals: false,
    });
    expect(service.port).toBeGreaterThan(0);
    expect(await (await fetch(`${service.url}/ping`)).text()).toBe("pong");
    await service.close();
    await expect(fetch(`${service.url}/ping`)).rejects.toThrow();
  });
});

describe("runService listen failures", () => {
  it("rejects with a message naming the service and the taken port", async () => {
    const first = await runService({
      name: "one",
      fetch: () => new Response(""),
      port: 0,
      handleSignals: false,
    });
    await expect(
      runService({
        name: "two",
        fetch: () => new Response(""),
        port: first.port,
        handleSignals: false,
      }),
    ).rejects.toThrow(`two: cannot listen on 127.0.0.1:${first.port}: the port is already in use`);
    await first.close();
  });
});

describe("requests Node's HTTP parser refuses", () => {
  async function rawAnswer(port: number, request: string): Promise<string> {
    const { connect } = await import("node:net");
    return new Promise((resolve) => {
      let answer = "";
      const socket = connect(port, "127.0.0.1", () => socket.write(request));
      socket.on("data", (chunk) => {
        answer += chunk;
      });
      socket.on("close", () => resolve(answer));
    });
  }

  it("answers 431 and 400 with the service's JSON body and closes", async () => {
    const service = await runService({
      name: "t",
      fetch: () => new Response("ok"),
      port: 0,
      handleSignals: false,
      clientErrorBody: (status, statusText) => ({ status: `${status} ${statusText}` }),
    });
    const long = await rawAnswer(
      service.port,
      `GET /?q=${"a".repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    );
    expect(long).toMatch(/^HTTP\/1.1 431 Request Header Fields Too Large\r\n/);
    expect(long.endsWith('{"status":"431 Request Header Fields Too Large"}')).toBe(true);
    const garbage = await rawAnswer(service.port, "\u0001\u0002 nonsense\r\n\r\n");
    expect(garbage).toMatch(/^HTTP\/1.1 400 Bad Request\r\n/);
    expect(garbage).toContain("Content-Type: application/json");
    await service.close();
  });
});
