// Throughput of /v2/shapes (Approov token check) against /v1/shapes (no check), same load,
// loopback, the built service in its own process (one core for it, one for autocannon).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { SignJWT } from "jose";

const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));
/** Linux clock ticks per second (getconf CLK_TCK), for /proc/<pid>/stat. */
const CLOCK_TICKS = 100;

function startShapesApi(secretBase64) {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? "", SHAPES_PORT: "0", APPROOV_SECRET: secretBase64 },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const match = /shapes-api listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve({ url: match[1], child });
    });
    child.once("exit", (code) => reject(new Error(`shapes-api exited with ${code}`)));
  });
}

/**
 * User-mode CPU time (ms) the server process has used so far, or undefined off Linux. This
 * is the JavaScript work (routing, token check, JSON); kernel time is left out because the
 * loopback socket writes there swing with whatever else the machine runs.
 */
function serverCpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) / CLOCK_TICKS) * 1000;
  } catch {
    return undefined;
  }
}

function load(url, headers, seconds, connections, pid) {
  const cpuBefore = serverCpuMs(pid);
  return new Promise((resolve, reject) => {
    autocannon({ url, headers, duration: seconds, connections }, (error, result) => {
      if (error) return reject(error);
      if (result.non2xx > 0 || result.errors > 0) {
        return reject(new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`));
      }
      const cpuAfter = serverCpuMs(pid);
      resolve({
        requests: result.requests.total,
        seconds: result.duration || seconds,
        cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
      });
    });
  });
}

function summary(runs) {
  const requests = runs.reduce((sum, run) => sum + run.requests, 0);
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  const cpu = runs.every((run) => run.cpuMs !== undefined)
    ? runs.reduce((sum, run) => sum + run.cpuMs, 0)
    : undefined;
  return {
    rate: requests / seconds,
    cpuMicrosPerRequest: cpu === undefined ? undefined : (cpu * 1000) / requests,
  };
}

/**
 * Two routes of one server under the same load (`open`, then `guarded` with `headers`): 1 s
 * warm-up each, then `rounds` pairs, alternating which goes first so a drift of the shared
 * machine's speed hits both alike. Answers req/s of each, guarded / open, the spread of the
 * per-round ratios (how noisy the machine was), and the server's user CPU per request.
 */
export async function compareRoutes({
  url,
  pid,
  open,
  guarded,
  headers,
  rounds = 4,
  seconds = 2.5,
  connections = 10,
}) {
  const first = (time) => load(`${url}${open}`, {}, time, connections, pid);
  const second = (time) => load(`${url}${guarded}`, headers, time, connections, pid);
  await first(1);
  await second(1);
  const openRuns = [];
  const guardedRuns = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      openRuns.push(await first(seconds));
      guardedRuns.push(await second(seconds));
    } else {
      guardedRuns.push(await second(seconds));
      openRuns.push(await first(seconds));
    }
  }
  const ratios = guardedRuns.map(
    (run, i) => run.requests / run.seconds / (openRuns[i].requests / openRuns[i].seconds),
  );
  const a = summary(openRuns);
  const b = summary(guardedRuns);
  return {
    v1: a.rate,
    v2: b.rate,
    ratio: b.rate / a.rate,
    spread: [Math.min(...ratios), Math.max(...ratios)],
    v1CpuMicros: a.cpuMicrosPerRequest,
    v2CpuMicros: b.cpuMicrosPerRequest,
  };
}

/** An Approov token as attest issues them, signed with `secret`, valid 10 minutes. */
export function benchToken(secret) {
  return new SignJWT({ ip: "127.0.0.1", embed: { "hcap:k": { hostname: "x" } } })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt()
    .setExpirationTime("10m")
    .sign(secret);
}

/** /v2/shapes (token check) against /v1/shapes (none) of the built shapes-api. */
export async function benchShapesApi(options = {}) {
  const secret = randomBytes(32);
  const token = await benchToken(secret);
  const { url, child } = await startShapesApi(secret.toString("base64"));
  try {
    return await compareRoutes({
      url,
      pid: child.pid,
      open: "/v1/shapes",
      guarded: "/v2/shapes",
      headers: { "Approov-Token": token },
      ...options,
    });
  } finally {
    child.kill("SIGTERM");
  }
}
