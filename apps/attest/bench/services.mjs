// Starts the real built processes on free ports: the captcha sandbox (hCaptcha siteverify)
// and attest over a fresh temp account. Their output goes to files in the temp directory,
// not through a pipe, so the bench process does not spend CPU reading decision log lines.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const APP_DIR = fileURLToPath(new URL("..", import.meta.url));
const ATTEST_MAIN = join(APP_DIR, "dist/main.js");
const ATTEST_INIT = join(APP_DIR, "dist/init.js");
const SANDBOX_MAIN = fileURLToPath(new URL("../../captcha-sandbox/dist/main.js", import.meta.url));

/** The origin every instance's proofs name when they share Redis (ATTEST_PUBLIC_ORIGIN). */
export const PUBLIC_ORIGIN = "http://attest.bench";

export class BenchSetupError extends Error {
  name = "BenchSetupError";
}

/** Fails early with the fix when a build is missing. */
export function checkBuilt() {
  for (const file of [ATTEST_MAIN, ATTEST_INIT, SANDBOX_MAIN]) {
    if (!existsSync(file)) {
      throw new BenchSetupError(
        `${file} is missing: run \`npx turbo run build --filter=@shapes/attest\` first`,
      );
    }
  }
}

function waitForListening(child, logFile, name, timeoutMs) {
  const pattern = new RegExp(`${name} listening on (http://\\S+)`);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const poll = () => {
      const match = pattern.exec(readFileSync(logFile, "utf8"));
      if (match) return resolve(match[1]);
      if (child.exitCode !== null || child.signalCode !== null) {
        return reject(new BenchSetupError(`${name} exited before listening (see ${logFile})`));
      }
      if (Date.now() - started > timeoutMs) {
        return reject(new BenchSetupError(`${name} did not start within ${timeoutMs} ms`));
      }
      setTimeout(poll, 25);
    };
    poll();
  });
}

function stopper(child) {
  const exited = new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done();
    else child.once("exit", () => done());
  });
  return () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    return exited;
  };
}

async function startService({ name, main, env, nodeArgs = [], dir, logName = name }) {
  const logFile = join(dir, `${logName}.log`);
  const out = openSync(logFile, "w");
  const child = spawn(process.execPath, [...nodeArgs, main], {
    cwd: dir,
    env: { ...process.env, HOST: "127.0.0.1", ...env },
    stdio: ["ignore", out, out],
  });
  const stop = stopper(child);
  try {
    const url = await waitForListening(child, logFile, name, 20_000);
    return { url, pid: child.pid, logFile, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The sandbox and attest, both listening. `profileDir`: attest runs with --cpu-prof and
 * writes its profile there when stopped.
 */
export async function startServices({ profileDir, redisUrl, instances = 1 } = {}) {
  checkBuilt();
  const dir = mkdtempSync(join(tmpdir(), "attest-bench-"));
  const dataDir = join(dir, "data");
  const stops = [];
  const cleanup = async () => {
    for (const stop of stops.reverse()) await stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const sandbox = await startService({
      name: "captcha-sandbox",
      main: SANDBOX_MAIN,
      env: { SANDBOX_PORT: "0" },
      dir,
    });
    stops.push(sandbox.stop);
    // init.js prints the site key only; the bench reads the account file for the secret
    // (to check the tokens it gets are real, not decoys) and never prints it.
    execFileSync(process.execPath, [ATTEST_INIT], {
      cwd: dir,
      env: { ...process.env, ATTEST_DATA_DIR: dataDir },
      stdio: "ignore",
    });
    const account = JSON.parse(readFileSync(join(dataDir, "account.json"), "utf8"));
    // With Redis, every instance shares the account, the replay memory and the rate limits;
    // one public origin, so a session's proofs are good on every instance (as behind a proxy).
    const shared = redisUrl ? { REDIS_URL: redisUrl, ATTEST_PUBLIC_ORIGIN: PUBLIC_ORIGIN } : {};
    const started = [];
    for (let i = 0; i < instances; i++) {
      const instance = await startService({
        name: "attest",
        main: ATTEST_MAIN,
        nodeArgs: profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [],
        env: {
          ATTEST_PORT: "0",
          ATTEST_DATA_DIR: dataDir,
          HCAPTCHA_SITEVERIFY_URL: `${sandbox.url}/siteverify`,
          // Far above what a minute of load can send: a full store would refuse proofs.
          REPLAY_CACHE_MAX: "2000000",
          ...shared,
        },
        dir,
        logName: `attest-${i + 1}`,
      });
      stops.push(instance.stop);
      started.push(instance);
    }
    const [attest] = started;
    return { sandbox, attest, instances: started, account, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
