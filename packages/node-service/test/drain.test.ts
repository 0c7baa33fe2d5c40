import { once } from "node:events";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { startServiceProcess } from "@shapes/test-stack";
import { describe, expect, it } from "vitest";
import { runService } from "../src/index.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

/** Whether a new TCP connection to the port is refused (nothing listens any more). */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
  });
}

/** Resolves once `output()` contains `text`; rejects after `limitMs`. */
async function waitForOutput(output: () => string, text: string, limitMs = 10_000) {
  const end = Date.now() + limitMs;
  while (!output().includes(text)) {
    if (Date.now() > end) throw new Error(`no "${text}" in:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A promise and the function that settles it: a step the test decides when to take. */
function step(): { done: Promise<void>; take: () => void } {
  let take: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    take = resolve;
  });
  return { done, take };
}

describe("runService drains on close", () => {
  it("refuses new connections at once, answers the request in flight, then runs onClose", async () => {
    const events: string[] = [];
    const release = step();
    const started = step();
    const service = await runService({
      name: "drain",
      port: 0,
      handleSignals: false,
      fetch: async () => {
        started.take();
        await release.done;
        events.push("answered");
        return new Response("slow done");
      },
      onClose: () => {
        events.push("onClose");
      },
    });
    const slow = fetch(`${service.url}/slow`);
    await started.done;
    const closed = service.close();
    expect(await refused(service.port)).toBe(true);
    expect(events).toEqual([]);
    release.take();
    const answer = await slow;
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe("slow done");
    await closed;
    expect(events).toEqual(["answered", "onClose"]);
  });

  it("cuts off what is still running after drainTimeoutMs, then runs onClose", async () => {
    let hookRan = false;
    const started = step();
    const service = await runService({
      name: "stuck",
      port: 0,
      handleSignals: false,
      drainTimeoutMs: 200,
      fetch: () => {
        started.take();
        return new Promise<Response>(() => undefined);
      },
      onClose: () => {
        hookRan = true;
      },
    });
    const stuck = fetch(`${service.url}/never`);
    await started.done;
    await service.close();
    await expect(stuck).rejects.toThrow();
    expect(hookRan).toBe(true);
  });
});

describe("SIGTERM", () => {
  it("a slow request in flight completes with 200, new connections are refused, exit 0", async () => {
    const service = await startServiceProcess({
      name: "drain-test",
      args: ["--import", "tsx", "test/fixtures/drain-service.ts"],
      cwd: packageDir,
    });
    try {
      const slow = fetch(`${service.url}/slow`);
      await waitForOutput(service.output, "slow request started");
      const exited = once(service.child, "exit");
      service.child.kill("SIGTERM");
      const port = Number(new URL(service.url).port);
      const end = Date.now() + 10_000;
      while (!(await refused(port))) {
        if (Date.now() > end) throw new Error("still accepting connections after SIGTERM");
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // Still draining: the request is held until SIGUSR2, and the hook has not run.
      expect(service.child.exitCode).toBe(null);
      expect(service.output()).not.toContain("close hook ran");
      service.child.kill("SIGUSR2");
      const answer = await slow;
      expect(answer.status).toBe(200);
      expect(await answer.text()).toBe("slow done");
      const [code] = await exited;
      expect(code).toBe(0);
      expect(service.output()).toContain("close hook ran");
    } finally {
      await service.stop("SIGKILL");
    }
  });
});
