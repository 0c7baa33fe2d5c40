import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

/** Debian's `prometheus` package (CI installs it: .ci/run); PROMETHEUS_BIN points elsewhere. */
const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? "/usr/bin/prometheus";
const PROMTOOL_BIN = process.env.PROMTOOL_BIN ?? "/usr/bin/promtool";
const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

export interface PrometheusProcess {
  /** Base URL, e.g. http://127.0.0.1:19490. */
  url: string;
  /** Everything Prometheus printed so far (its log goes to stderr). */
  output(): string;
  /** SIGTERM, SIGKILL after 5 s; removes its temporary config and storage. */
  stop(): Promise<void>;
}

function requireBinary(path: string, what: string): void {
  if (!existsSync(path)) {
    throw new Error(`${what} not found at ${path}: apt-get install -y prometheus`);
  }
}

/** `promtool check config <file>`: resolves with its output, rejects with it on failure. */
export async function promtoolCheckConfig(file: string): Promise<string> {
  requireBinary(PROMTOOL_BIN, "promtool");
  try {
    const { stdout, stderr } = await promisify(execFile)(PROMTOOL_BIN, ["check", "config", file]);
    return stdout + stderr;
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`promtool check config ${file} failed:\n${stdout}${stderr}`);
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.once("exit", () => done()));
}

/**
 * A real Prometheus on 127.0.0.1:`port` with `configText` as its configuration and a fresh
 * temporary storage directory. Resolves once `/-/ready` answers 200; rejects with its log
 * when it exits first (e.g. the port is taken) or is not ready in time.
 */
export async function startPrometheus(
  configText: string,
  port: number,
): Promise<PrometheusProcess> {
  requireBinary(PROMETHEUS_BIN, "prometheus");
  const dir = await mkdtemp(join(tmpdir(), "shapes-prometheus-"));
  const configFile = join(dir, "prometheus.yml");
  await writeFile(configFile, configText);
  const child = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--storage.tsdb.retention.time=1h",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let text = "";
  const append = (chunk: Buffer) => {
    // Bounded: Prometheus logs a few lines per second at most, but a test never needs more.
    text = (text + chunk.toString("utf8")).slice(-64_000);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      await exited(child);
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`prometheus exited before it was ready:\n${text}`);
    }
    const ready = await fetch(`${url}/-/ready`).then(
      (res) => res.status === 200,
      () => false,
    );
    if (ready) return { url, output: () => text, stop };
    await new Promise((done) => setTimeout(done, 200));
  }
  await stop();
  throw new Error(`prometheus was not ready within ${READY_TIMEOUT_MS} ms:\n${text}`);
}
