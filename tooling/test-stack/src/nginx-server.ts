import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./redis-server.js";
import { waitUntil } from "./wait-until.js";

/** Debian's nginx (package `nginx`); NGINX_PATH overrides it. */
export const NGINX = process.env.NGINX_PATH ?? "/usr/sbin/nginx";

/** One line of the access log: which upstream answered what. */
export interface ProxyLogEntry {
  /** When nginx finished the request, ms since the epoch. */
  at: number;
  method: string;
  path: string;
  status: number;
  /** Every upstream tried, in order ("127.0.0.1:4001, 127.0.0.1:4002" when it moved on). */
  upstreams: string[];
}

export interface RunningNginx {
  url: string;
  port: number;
  /** The access log so far, parsed. */
  accessLog(): Promise<ProxyLogEntry[]>;
  /** What nginx wrote to its error log (startup problems, upstream failures). */
  errorLog(): Promise<string>;
  /** Stops nginx (SIGQUIT: graceful) and removes its directory. */
  stop(): Promise<void>;
}

/**
 * A server config (an http-context file such as deploy/nginx/attest-proxy.conf) run by a
 * real nginx, in the foreground, under its own prefix in a temporary directory: pid, logs and
 * temp files there, the access log in a parseable format with `$upstream_addr`. `edit`
 * adapts the file to loopback (upstream addresses, the listen port it is given).
 */
export async function startNginx(
  configFile: string,
  edit: (config: string, port: number) => string,
): Promise<RunningNginx> {
  if (!existsSync(NGINX)) {
    throw new Error(
      `${NGINX} not found: install Debian's nginx package (apt-get install nginx; .ci/run ` +
        "does it), or set NGINX_PATH.",
    );
  }
  const dir = await mkdtemp(join(tmpdir(), "test-nginx-"));
  // Workers run as an unprivileged user when the master is root: they write temp files here.
  await chmod(dir, 0o755);
  const port = await freePort();
  const server = edit(await readFile(configFile, "utf8"), port);
  const accessLog = join(dir, "access.log");
  const errorLog = join(dir, "error.log");
  const config = `daemon off;
worker_processes 1;
pid ${join(dir, "nginx.pid")};
error_log ${errorLog} warn;
events { worker_connections 512; }
http {
  log_format upstreams '$msec $request_method $uri $status "$upstream_addr"';
  access_log ${accessLog} upstreams;
  client_body_temp_path ${join(dir, "body")};
  proxy_temp_path ${join(dir, "proxy")};
  fastcgi_temp_path ${join(dir, "fastcgi")};
  uwsgi_temp_path ${join(dir, "uwsgi")};
  scgi_temp_path ${join(dir, "scgi")};
${server}
}
`;
  const configPath = join(dir, "nginx.conf");
  await writeFile(configPath, config);
  let output = "";
  const child: ChildProcess = spawn(NGINX, ["-p", dir, "-c", configPath, "-e", errorLog], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const readErrors = () => readFile(errorLog, "utf8").catch(() => "");
  try {
    await waitUntil(async () => {
      if (child.exitCode !== null) throw new Error(`nginx exited: ${output}${await readErrors()}`);
      return accepts(port);
    }, `nginx listening on ${port}`);
  } catch (error) {
    child.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    accessLog: async () => parseAccessLog(await readFile(accessLog, "utf8").catch(() => "")),
    errorLog: readErrors,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGQUIT");
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function parseAccessLog(text: string): ProxyLogEntry[] {
  const entries: ProxyLogEntry[] = [];
  for (const line of text.split("\n")) {
    const match = /^(\d+\.\d+) (\S+) (\S+) (\d+) "([^"]*)"$/.exec(line);
    if (!match) continue;
    entries.push({
      at: Math.round(Number(match[1]) * 1000),
      method: match[2] ?? "",
      path: match[3] ?? "",
      status: Number(match[4]),
      // "a, b" when nginx moved on to the next server; " : " between internal redirects.
      upstreams: (match[5] ?? "").split(/,\s*|\s:\s/).filter((addr) => addr && addr !== "-"),
    });
  }
  return entries;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
