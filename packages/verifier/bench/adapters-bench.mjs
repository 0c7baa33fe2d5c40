// Each framework adapter's cost: requests/s of the protected /v2/shapes against the same
// framework's unprotected /v1/shapes, on the examples/ servers (their own process, one core
// for it, one for autocannon), measured in one run.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const httpBench = new URL("../../../apps/shapes-api/bench/http-bench.mjs", import.meta.url);
const EXAMPLES = fileURLToPath(new URL("../../../examples/", import.meta.url));
export const FRAMEWORKS = ["express", "fastify", "koa", "next"];

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startExample(framework, secret) {
  const port = await freePort();
  const child = spawn(process.execPath, [`${EXAMPLES}${framework}/server.mjs`], {
    env: { PATH: process.env.PATH ?? "", PORT: String(port), APPROOV_SECRET: secret },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      if (String(chunk).includes("listening on")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`${framework} example exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

/** Per framework: { v1, v2, ratio, spread } of /v2/shapes against /v1/shapes. */
export async function benchAdapters({ rounds = 2, seconds = 1.5 } = {}) {
  const { benchToken, compareRoutes } = await import(httpBench.href);
  const secret = randomBytes(32);
  const token = await benchToken(secret);
  const results = {};
  for (const framework of FRAMEWORKS) {
    const { url, child } = await startExample(framework, secret.toString("base64"));
    try {
      results[framework] = await compareRoutes({
        url,
        pid: child.pid,
        open: "/v1/shapes",
        guarded: "/v2/shapes",
        headers: { "Approov-Token": token },
        rounds,
        seconds,
      });
    } finally {
      child.kill("SIGTERM");
    }
  }
  return results;
}
