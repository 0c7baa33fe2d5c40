#!/usr/bin/env node
// `npm start`: build what is needed, make sure the local Approov account exists,
// start the four services with their wiring, and print the URLs when all answer.
//
//   node scripts/start.mjs [--no-build] [--only <service>] [--watch]
//
// --only runs one service in the foreground (what each docker-compose container does).
// --watch (npm run dev) keeps rebuilding what changes (turbo watch build) and restarts a
// service when its build output changes (node --watch), with the same wiring.
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  dataDirFromEnv,
  portsFromEnv,
  publishDirsFromEnv,
  readPublicSite,
  readTokenSecrets,
  repoRoot,
  SERVICE_NAMES,
  SERVICE_SCRIPTS,
  serviceDefinitions,
} from "./services.mjs";

const args = process.argv.slice(2);
const build = !args.includes("--no-build");
const watch = args.includes("--watch");
const onlyIndex = args.indexOf("--only");
const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;
if (onlyIndex >= 0 && !SERVICE_NAMES.includes(only)) {
  fail(`--only takes one of: ${SERVICE_NAMES.join(", ")}`);
}
const unknown = args.filter(
  (a, i) => !["--no-build", "--only", "--watch"].includes(a) && i !== onlyIndex + 1,
);
if (unknown.length > 0) fail(`unknown argument(s): ${unknown.join(" ")}`);

function fail(message) {
  console.error(`start: ${message}`);
  process.exit(1);
}

function log(message) {
  console.log(`start: ${message}`);
}

let ports;
try {
  ports = portsFromEnv();
} catch (error) {
  fail(error.message);
}
const dataDir = dataDirFromEnv();
const publishDirs = publishDirsFromEnv(dataDir);

if (build) {
  log("building (turbo run build; the first build takes a minute)...");
  try {
    execFileSync("npx", ["turbo", "run", "build", "--output-logs=errors-only"], {
      cwd: repoRoot,
      stdio: "inherit",
    });
  } catch {
    fail("the build failed (see above)");
  }
}

const notBuilt = SERVICE_NAMES.filter(
  (name) => (!only || only === name) && !existsSync(join(repoRoot, SERVICE_SCRIPTS[name])),
);
if (notBuilt.length > 0) {
  fail(`not built yet: ${notBuilt.join(", ")} (run npm run build, or drop --no-build)`);
}

// attest owns the account; its init step creates it on first run and is idempotent.
if (!only || only === "attest") {
  try {
    // init speaks attest's JSON log format; the launcher says it in a sentence instead.
    execFileSync(process.execPath, ["apps/attest/dist/init.js"], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ATTEST_DATA_DIR: dataDir },
    });
  } catch (error) {
    process.stderr.write(`${error.stdout ?? ""}${error.stderr ?? ""}`);
    fail(`attest could not prepare the account in ${dataDir} (see above)`);
  }
}
// Each service reads only the part of the account it needs, from what attest published
// (compose mounts nothing else into it): web the public file, the API the token secrets.
// The sandbox needs none (its compose container has none): waiting for one there would
// hold up attest, which waits for the sandbox.
const ACCOUNT_PARTS = {
  "captcha-sandbox": [],
  attest: ["public"],
  "shapes-api": ["tokenSecrets"],
  web: ["public"],
};
const account = await waitForAccount(
  only ? ACCOUNT_PARTS[only] : ["public", "tokenSecrets"],
  only ? 60_000 : 0,
);
if (!only || only === "attest")
  log(`account ready in ${dataDir} (Approov site key ${account.siteKey})`);
const definitions = serviceDefinitions({ ports, dataDir, account });
const children = new Map();
let stopping = false;

for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => stopAll(0));

for (const name of SERVICE_NAMES) {
  if (only && only !== name) continue;
  startService(name, definitions[name]);
  await waitHealthy(name, definitions[name].port);
}
if (!only) {
  console.log(`
Shapes web protection demo is running:
  web app          http://localhost:${ports.web}
  attest service   http://localhost:${ports.attest}
  shapes api       http://localhost:${ports.shapes}
  captcha sandbox  http://localhost:${ports.sandbox}
  account data     ${dataDir}
  metrics portal   \`npx approov metrics\` opens it signed in (http://localhost:${ports.attest}/admin/v1/portal)
Press Ctrl+C to stop.`);
}

if (watch) startWatchBuild();

function startService(name, definition) {
  // node --watch restarts the service when turbo watch rebuilds its output.
  const nodeArgs = watch ? ["--watch", "--no-warnings", definition.script] : [definition.script];
  // Under --watch the web app's build changes while it runs: it checks files on each request.
  const watchEnv = watch && name === "web" ? { WEB_REVALIDATE_FILES: "1" } : {};
  const child = spawn(process.execPath, nodeArgs, {
    cwd: repoRoot,
    env: { ...process.env, ...definition.env, ...watchEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.set(name, child);
  const prefix = only ? "" : `[${name}] `;
  for (const stream of [child.stdout, child.stderr]) {
    let rest = "";
    stream.on("data", (chunk) => {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines)
        (stream === child.stderr ? process.stderr : process.stdout).write(`${prefix}${line}\n`);
    });
  }
  child.on("exit", (code, signal) => {
    children.delete(name);
    if (!stopping) {
      console.error(
        `start: ${name} stopped (${signal ?? `exit code ${code}`}); stopping the others`,
      );
      stopAll(1);
    }
  });
}

/** npm run dev: turbo rebuilds each workspace whose sources change, and what depends on it. */
function startWatchBuild() {
  // turbo's own bin, not npx: a stop signal must reach turbo itself.
  const turbo = join(repoRoot, "node_modules", ".bin", "turbo");
  const child = spawn(turbo, ["watch", "build", "--output-logs=errors-only"], {
    cwd: repoRoot,
    stdio: ["ignore", "inherit", "inherit"],
  });
  children.set("turbo watch", child);
  child.on("exit", (code, signal) => {
    children.delete("turbo watch");
    if (!stopping) {
      console.error(`start: turbo watch stopped (${signal ?? `exit code ${code}`}); stopping`);
      stopAll(1);
    }
  });
  log("watching the sources: edits rebuild, and the services restart on their new build");
}

async function waitHealthy(name, port) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (!children.has(name)) return; // its exit handler reports and stops everything
    try {
      // Bounded: a service that accepts but never answers must not hang the start.
      const response = await fetch(`http://127.0.0.1:${port}/healthz`, {
        signal: AbortSignal.timeout(2_000),
      });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  console.error(`start: ${name} did not answer on port ${port} within 30 s`);
  stopAll(1);
}

async function waitForAccount(parts, timeoutMs) {
  // A single-service container may start before attest published the account.
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return {
        ...(parts.includes("public") ? readPublicSite(publishDirs.publicDir) : {}),
        ...(parts.includes("tokenSecrets") ? readTokenSecrets(publishDirs.tokenSecretsDir) : {}),
      };
    } catch (error) {
      if (Date.now() >= deadline) fail(`cannot read the published account: ${error.message}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children.values()) child.kill("SIGTERM");
  const force = setTimeout(() => {
    for (const child of children.values()) child.kill("SIGKILL");
    process.exit(code);
  }, 5_000);
  force.unref();
  const check = setInterval(() => {
    if (children.size === 0) {
      clearInterval(check);
      process.exit(code);
    }
  }, 50);
}
